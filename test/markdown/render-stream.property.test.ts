import fc from 'fast-check';
import { renderMarkdown } from '../../src/markdown/render';
import { findUnbalanced, findUnsafe } from './helpers/html-checks';
import { cutPositions, markdownDocument } from './helpers/markdown-arbitrary';
import { cutsEvery, streamWithCuts } from './helpers/stream-harness';

const OPTIONS = { allowedImageHosts: ['i.imgur.com'] };
// A definition may come after a reference to it; only then may the commits differ (see end()).
const mayReconcile = (text: string): boolean => /^\s{0,3}\[ref\]:/m.test(text);

function checkRun(text: string, cuts: number[], frameEnds?: boolean[]): void {
  const run = streamWithCuts(text, cuts, OPTIONS, frameEnds);
  const oneShot = renderMarkdown(text, OPTIONS);
  expect(run.end.html).toBe(oneShot);
  if (!mayReconcile(text)) {
    expect(run.commits.join('') + run.end.append).toBe(oneShot);
  }
  expect(run.editedTails).toEqual(run.tails);
  for (const fragment of [...run.commits, ...run.tails, run.end.append]) {
    expect(findUnsafe(fragment, OPTIONS)).toEqual([]);
    expect(findUnbalanced(fragment)).toEqual([]);
  }
}

describe('createMarkdownStream: properties over random documents', () => {
  it('when a random document is cut at random places, then the result is exact and every fragment safe and balanced', () => {
    fc.assert(
      fc.property(markdownDocument.chain((text) => fc.tuple(fc.constant(text), cutPositions(text.length))), ([text, cuts]) => {
        checkRun(text, cuts);
      }),
      { numRuns: 400 },
    );
  });

  it('when deltas are only written inside a frame and pushed at its end, then the result is exact', () => {
    fc.assert(
      fc.property(
        markdownDocument.chain((text) => fc.tuple(fc.constant(text), cutPositions(text.length), fc.array(fc.boolean(), { maxLength: 9 }))),
        ([text, cuts, frameEnds]) => {
          checkRun(text, cuts, frameEnds);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('when a random document is fed one character at a time, then the result is exact', () => {
    fc.assert(
      fc.property(markdownDocument, (text) => {
        checkRun(text, cutsEvery(text, 1));
      }),
      { numRuns: 80 },
    );
  });

  it('when a random document is cut in two anywhere, then the commits never need retracting', () => {
    fc.assert(
      fc.property(markdownDocument.filter((text) => !mayReconcile(text)), (text) => {
        const oneShot = renderMarkdown(text, OPTIONS);
        for (let cut = 1; cut < text.length; cut++) {
          const run = streamWithCuts(text, [cut], OPTIONS);
          expect(oneShot.startsWith(run.commits[0]!)).toBe(true);
          expect(run.commits.join('') + run.end.append).toBe(oneShot);
        }
      }),
      { numRuns: 30 },
    );
  });
});
