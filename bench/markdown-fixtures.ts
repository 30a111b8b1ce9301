/**
 * Deterministic markdown for the renderer benchmark: an LLM-style answer of any size, and one
 * giant fenced code block. A seeded generator, so every run measures the same text.
 */

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a of to and in is it that for on with as this by be are from at or an which can not ' +
  'stream token render server client buffer latency request response event markdown parser ' +
  'value function return error handler config cache queue worker thread memory index schema ' +
  'simply usually often because however therefore instead quickly carefully each every both'
).split(' ');

const TOPICS = ['Streaming', 'Backpressure', 'Caching', 'Error handling', 'Testing', 'Deployment', 'Security', 'Observability'];
const LANGS = ['ts', 'python', 'bash', 'json', 'go'];

function makeGenerator(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const word = (): string => pick(WORDS);

  const phrase = (min: number, max: number): string => {
    const n = min + Math.floor(random() * (max - min + 1));
    return Array.from({ length: n }, word).join(' ');
  };

  const inlineBit = (): string => {
    const r = random();
    if (r < 0.12) return `**${phrase(1, 3)}**`;
    if (r < 0.22) return `*${phrase(1, 3)}*`;
    if (r < 0.34) return `\`${word()}${pick(['()', '.ts', '_id', '[0]', ''])}\``;
    if (r < 0.4) return `[${phrase(1, 3)}](https://example.com/${word()}/${word()})`;
    if (r < 0.43) return `~~${phrase(1, 2)}~~`;
    return phrase(3, 9);
  };

  const sentence = (): string => {
    const parts = Array.from({ length: 2 + Math.floor(random() * 3) }, inlineBit);
    const text = parts.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + pick(['.', '.', '.', ':', '!', '?']);
  };

  const paragraph = (): string => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' ');

  const list = (): string => {
    const ordered = random() < 0.4;
    const n = 3 + Math.floor(random() * 5);
    return Array.from({ length: n }, (_, i) => {
      const bullet = ordered ? `${i + 1}.` : '-';
      const lead = random() < 0.5 ? `**${phrase(1, 3)}**: ` : '';
      const nested = random() < 0.15 ? `\n   - ${sentence()}` : '';
      return `${bullet} ${lead}${sentence()}${nested}`;
    }).join('\n');
  };

  const table = (): string => {
    const cols = 2 + Math.floor(random() * 3);
    const header = `| ${Array.from({ length: cols }, () => phrase(1, 2)).join(' | ')} |`;
    const rule = `|${Array.from({ length: cols }, () => pick(['---', ':---', ':---:', '---:'])).join('|')}|`;
    const rows = Array.from({ length: 3 + Math.floor(random() * 5) }, () =>
      `| ${Array.from({ length: cols }, () => (random() < 0.3 ? `\`${word()}\`` : phrase(1, 4))).join(' | ')} |`);
    return [header, rule, ...rows].join('\n');
  };

  const codeLine = (indent: number): string => {
    const r = random();
    const pad = '  '.repeat(indent);
    if (r < 0.3) return `${pad}const ${word()}_${word()} = await ${word()}(${word()}, { ${word()}: ${Math.floor(random() * 100)} });`;
    if (r < 0.5) return `${pad}if (${word()} && ${word()}.length > ${Math.floor(random() * 10)}) {`;
    if (r < 0.6) return `${pad}// ${phrase(3, 8)}`;
    if (r < 0.75) return `${pad}return ${word()}.map((x) => x * 2).filter(Boolean);`;
    if (r < 0.85) return `${pad}console.log(\`<${word()}> & "${word()}"\`);`;
    return '';
  };

  const code = (lines: number): string => {
    const body = Array.from({ length: lines }, () => codeLine(Math.floor(random() * 3)));
    return ['```' + pick(LANGS), ...body, '```'].join('\n');
  };

  const section = (): string => {
    const blocks = [`## ${pick(TOPICS)} ${phrase(1, 3)}`, paragraph()];
    const n = 2 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const r = random();
      if (r < 0.35) blocks.push(paragraph());
      else if (r < 0.6) blocks.push(list());
      else if (r < 0.75) blocks.push(code(6 + Math.floor(random() * 14)));
      else if (r < 0.87) blocks.push(table());
      else if (r < 0.93) blocks.push(`> ${sentence()} ${sentence()}`);
      else blocks.push('---');
    }
    return blocks.join('\n\n');
  };

  return { section, code, paragraph, sentence, phrase };
}

/** An LLM-style answer of about `bytes` characters: headings, prose, lists, tables, code. */
export function llmAnswer(bytes: number, seed = 42): string {
  const gen = makeGenerator(seed);
  let text = `# Answer\n\n${gen.paragraph()}\n\n`;
  while (text.length < bytes) text += `${gen.section()}\n\n`;
  return text;
}

/** One fenced code block of about `bytes` characters, closed at the end. */
export function giantCodeBlock(bytes: number, seed = 7): string {
  const gen = makeGenerator(seed);
  const lines = Math.max(1, Math.round(bytes / 40));
  return `${gen.code(lines)}\n`;
}

/**
 * One loose list of about `bytes` characters, the shape of step-by-step answers: each item a
 * bold title and a sentence, every third one with a code block inside it. The whole list is one
 * block, open until the end.
 */
export function longList(bytes: number, seed = 11): string {
  const gen = makeGenerator(seed);
  let text = '';
  for (let i = 1; text.length < bytes; i++) {
    text += `- **${gen.phrase(1, 3)}**: ${gen.sentence()}\n\n`;
    if (i % 3 === 0) text += `${gen.code(3).replace(/^/gm, '  ')}\n\n`;
  }
  return text;
}

/** One paragraph on a single line of about `bytes` characters: sentences with inline markup, never a line break. */
export function longLine(bytes: number, seed = 23): string {
  const gen = makeGenerator(seed);
  let text = gen.sentence();
  while (text.length < bytes) text += ` ${gen.sentence()}`;
  return text;
}
