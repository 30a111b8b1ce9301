import fc from 'fast-check';

/**
 * Random markdown documents from a small grammar that covers the block types and the inline
 * constructs an LLM writes, biased towards the places where blocks meet.
 */

const word = fc.constantFrom(
  'alpha', 'beta', 'gamma', 'snake_case', '2*3*4', 'x', 'ok.', 'end:', 'café', '😀', 'a&b', '1.', '#tag', 'www.example.com',
);

const inlinePiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 1, arbitrary: word.map((w) => `*${w}*`) },
  { weight: 1, arbitrary: word.map((w) => `**${w}**`) },
  { weight: 1, arbitrary: word.map((w) => `_${w}_`) },
  { weight: 1, arbitrary: word.map((w) => `~~${w}~~`) },
  { weight: 1, arbitrary: word.map((w) => `\`${w}\``) },
  { weight: 1, arbitrary: word.map((w) => `[${w}](https://example.com/${encodeURIComponent(w)})`) },
  { weight: 1, arbitrary: fc.constantFrom('[ref]', '![img](https://i.imgur.com/a.png)', '<https://auto.example>', '<b>', '&copy;', '\\*', '**', '*', '`', '[', '](', '<', '&am') },
);

const inline = fc.array(inlinePiece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(' '));

const paragraph = fc.array(inline, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
const heading = fc.tuple(fc.integer({ min: 1, max: 6 }), inline).map(([depth, text]) => `${'#'.repeat(depth)} ${text}`);
const setext = fc.tuple(inline, fc.constantFrom('===', '---', '=')).map(([text, line]) => `${text}\n${line}`);
const rule = fc.constantFrom('***', '---', '___', '- - -');

const listItem = fc.tuple(
  fc.constantFrom('', '', '[ ] ', '[x] '),
  inline,
  fc.option(inline, { nil: undefined }),
);
const list = fc
  .tuple(fc.constantFrom('-', '*', '+', '1.', '2)'), fc.array(listItem, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([marker, items, loose]) =>
    items
      .map(([task, text, nested], i) => {
        const bullet = /\d/.test(marker) ? `${Number.parseInt(marker, 10) + i}${marker.at(-1)}` : marker;
        const pad = ' '.repeat(bullet.length + 1);
        return `${bullet} ${task}${text}${nested === undefined ? '' : `\n${pad}- ${nested}`}`;
      })
      .join(loose ? '\n\n' : '\n'));

const codeLine = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
  fc.constantFrom('```', '  ```', '~~~', '<script>x</script>', '', '    indented', '&amp; "q"'),
);
const fence = fc
  .tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'js', 'ts x', 'c++'), fc.array(codeLine, { maxLength: 4 }), fc.boolean())
  .map(([run, lang, lines, closed]) => [run + lang, ...lines, ...(closed ? [run] : [])].join('\n'));
const indentedCode = fc.array(codeLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.map((l) => `    ${l}`).join('\n'));

const cell = fc.oneof(word, inlinePiece);
const table = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { maxLength: 3 }), fc.constantFrom('---', ':--', ':-:', '--:'))
  .map(([columns, rows, align]) => {
    const row = (cells: string[]) => `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
    return [row(Array.from({ length: columns }, (_, i) => `h${i}`)), `|${Array(columns).fill(align).join('|')}|`, ...rows.map(row)].join('\n');
  });

const quote = fc
  .tuple(fc.array(inline, { minLength: 1, maxLength: 2 }), fc.option(inline, { nil: undefined }))
  .map(([lines, lazy]) => lines.map((l) => `> ${l}`).join('\n') + (lazy === undefined ? '' : `\n${lazy}`));
const html = fc.constantFrom('<div>\ninside *md*\n</div>', '<!-- note\n\nmore -->', '<script>alert(1)</script>', '<span>inline</span> text');
const definition = fc.constantFrom('[ref]: https://example.com/ref', '[ref]: https://example.com "T"');

// Lines that start with every kind of block marker, to shake out the places where one block's
// end depends on the next line: setext underlines, delimiter rows, list markers, HTML starts.
const linePrefix = fc.constantFrom(
  '', '', '', '- ', '* ', '+ ', '1. ', '1) ', '2. ', '2', '10) ', '-', '> ', '>', '# ', '#', '    ', '  ', '\t',
  '| ', '|', '```', '~~~', '---', '***', '===', '- - -', ':-|', '|-', '| --- |', '[ref]: /url', '"title"',
  '<div>', '<script>', '</script>', '<!-- ', '-->', '<?x', '<span>', '- [ ] ', '> - ', '  - ', '   1. ',
);
const lineSoup = fc
  .array(fc.tuple(linePrefix, fc.array(inlinePiece, { maxLength: 3 })), { minLength: 1, maxLength: 6 })
  .map((lines) => lines.map(([prefix, pieces]) => prefix + pieces.join(' ')).join('\n'));

const block = fc.oneof(
  { weight: 3, arbitrary: lineSoup },
  { weight: 5, arbitrary: paragraph },
  { weight: 2, arbitrary: heading },
  { weight: 1, arbitrary: setext },
  { weight: 1, arbitrary: rule },
  { weight: 3, arbitrary: list },
  { weight: 2, arbitrary: fence },
  { weight: 1, arbitrary: indentedCode },
  { weight: 2, arbitrary: table },
  { weight: 1, arbitrary: quote },
  { weight: 1, arbitrary: html },
  { weight: 1, arbitrary: definition },
);

/** A document: blocks joined by one or two line breaks, with or without a final one. */
export const markdownDocument: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(block, fc.constantFrom('\n', '\n\n', '\n\n', '\n\n\n')), { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([blocks, trailing]) => {
    const text = blocks.map(([b, sep]) => b + sep).join('');
    return trailing ? text : text.replace(/\n+$/, '');
  });

/** Sorted cut positions inside a text of length `length`. */
export function cutPositions(length: number, maxCuts = 24): fc.Arbitrary<number[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: maxCuts })
    .map((cuts) => cuts.filter((c) => c < length).sort((a, b) => a - b));
}
