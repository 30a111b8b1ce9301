import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from '../../src/markdown/render';
import type { MarkdownOptions } from '../../src/markdown/types';
import { findUnbalanced, findUnsafe } from './helpers/html-checks';
import { cutsEvery, streamWithCuts } from './helpers/stream-harness';

interface Payload {
  title: string;
  payload: string;
}

const load = (file: string): Payload[] => JSON.parse(readFileSync(join(__dirname, 'fixtures', file), 'utf8')) as Payload[];
const PAYLOADS = [...load('dompurify-payloads.json'), ...load('llm-payloads.json')];

// The same payload where a model might put it: as prose, a link or image URL, code, a cell.
const CONTEXTS: ((payload: string) => string)[] = [
  (p) => p,
  (p) => `Text before ${p} text after`,
  (p) => `[link](${p})`,
  (p) => `![image](${p})`,
  (p) => `- item ${p}\n- [x] ${p}`,
  (p) => `| a |\n|---|\n| ${p.replace(/\n/g, ' ')} |`,
  (p) => `> ${p}`,
  (p) => `\`\`\`\n${p}\n\`\`\``,
];

const OPTION_SETS: MarkdownOptions[] = [{}, { allowedImageHosts: ['i.imgur.com'] }];

function expectSafe(html: string, options: MarkdownOptions): void {
  expect(findUnsafe(html, options)).toEqual([]);
  expect(findUnbalanced(html)).toEqual([]);
}

describe('XSS payloads', () => {
  it('has a few hundred payloads to try', () => {
    expect(PAYLOADS.length).toBeGreaterThan(250);
  });

  test.each(PAYLOADS.map((p, i) => [i, p.title, p.payload] as const))(
    'when payload %i (%s) is rendered in one go, in every context, then nothing dangerous survives',
    (_i, _title, payload) => {
      for (const options of OPTION_SETS) {
        for (const context of CONTEXTS) expectSafe(renderMarkdown(context(payload), options), options);
      }
    },
  );

  test.each(PAYLOADS.map((p, i) => [i, p.title, p.payload] as const))(
    'when payload %i (%s) is streamed one character at a time, then no commit, tail or end is dangerous',
    (_i, _title, payload) => {
      const options = OPTION_SETS[1]!;
      const text = `Look: ${payload}\n\nafter`;
      const run = streamWithCuts(text, cutsEvery(text, 1), options);
      for (const fragment of [...run.commits, ...run.tails, run.end.append, run.end.html]) expectSafe(fragment, options);
    },
  );
});
