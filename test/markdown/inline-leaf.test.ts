import fc from 'fast-check';
import { findUnbalanced } from './helpers/html-checks';
import { createGrowingHtml } from '../../src/markdown/growing-html';
import { createInlineLeaf, renderInlineRun } from '../../src/markdown/inline-leaf';
import { getBlockRenderer } from '../../src/markdown/render';
import { repairOpenConstructs } from '../../src/markdown/repair-open-constructs';

const renderer = getBlockRenderer();
const piece = fc.constantFrom('word ', 'a', ' ', '**b**', '*c*', '`d`', '[e](https://x.example)', '~~f~~', '_g_', '2*3', 'snake_case', '**', '[', '&amp;', '<b>', 'https://x.y ');

describe('createInlineLeaf', () => {
  it('when text grows word by word, then html() shows it repaired and finalHtml() as written', () => {
    const leaf = createInlineLeaf(renderer, {}, 'Some ');
    leaf.append('**bo');
    expect(leaf.html()).toBe('Some <strong>bo</strong>');
    leaf.append('ld** and `co');
    expect(leaf.html()).toBe('Some <strong>bold</strong> and <code>co</code>');
    expect(leaf.finalHtml()).toBe('Some <strong>bold</strong> and `co');
    expect(leaf.text).toBe('Some **bold** and `co');
  });

  it('when only a delimiter follows the settled text, then no trailing space is shown', () => {
    const leaf = createInlineLeaf(renderer, {}, 'word ');
    leaf.append('**');
    expect(leaf.html()).toBe('word');
  });

  it('when a run holds more openers than is lexed again per render, then it shows as it stands and finalHtml() is still exact', () => {
    const leaf = createInlineLeaf(renderer, {}, '');
    const text = `${'*a '.repeat(200)}**b**`;
    for (let i = 0; i < text.length; i += 4) {
      leaf.append(text.slice(i, i + 4));
      expect(findUnbalanced(leaf.html())).toEqual([]);
    }
    // The settled front as it stands; the live end still closed for display.
    expect(leaf.html().startsWith('*a *a *a ')).toBe(true);
    expect(leaf.html()).toContain('<strong>b</strong>');
    expect(leaf.finalHtml()).toBe(renderInlineRun(renderer, text, {}));
  });

  it('when inline markdown arrives in any pieces, then the final HTML is that of the whole run', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(fc.boolean(), { maxLength: 12 }), (pieces, looks) => {
        const leaf = createInlineLeaf(renderer, {}, '');
        pieces.forEach((p, i) => {
          leaf.append(p);
          if (looks[i]) leaf.html();
        });
        const text = pieces.join('');
        expect(leaf.text).toBe(text);
        expect(leaf.finalHtml()).toBe(renderInlineRun(renderer, text, {}));
        const whole = renderInlineRun(renderer, repairOpenConstructs(text), {});
        expect(leaf.html().trimEnd()).toBe(whole.trimEnd());
      }),
      // The oracle repairs the whole run; the leaf repairs only its unsettled end. On rare ambiguous
      // delimiter runs (about 1 in 100,000, pinned below) the two close differently and both are
      // fair displays, so this exact comparison runs on a fixed seed and the random runs below
      // check what must hold always.
      { numRuns: 400, seed: 20261207 },
    );
  });

  it('when inline markdown arrives in any pieces, then what is shown is balanced and the final HTML exact', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(fc.boolean(), { maxLength: 12 }), (pieces, looks) => {
        const leaf = createInlineLeaf(renderer, {}, '');
        pieces.forEach((p, i) => {
          leaf.append(p);
          if (looks[i]) expect(findUnbalanced(leaf.html())).toEqual([]);
        });
        expect(findUnbalanced(leaf.html())).toEqual([]);
        expect(leaf.finalHtml()).toBe(renderInlineRun(renderer, pieces.join(''), {}));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    [['2*3', '**b**', '_g_', '2*3', 'word ', 'word '], 5, '2<em>3<strong>b</strong>_g_2</em>3word word'],
    [['2*3', '*c*', '~~f~~', '2*3', 'word ', 'snake_case', '**b**'], 5, '2<em>3</em>c<em><del>f</del>2</em>3word snake_case<strong>b</strong>'],
    [['**', '2*3', '**', 'word ', 'word ', '_g_', '**', '~~f~~'], 4, '<strong>2*3</strong>word word <em>g</em><strong><del>f</del></strong>'],
  ])('when the pieces %j leave an ambiguous delimiter run, then the display closes it without a stray delimiter', (pieces, lookAt, shown) => {
    const leaf = createInlineLeaf(renderer, {}, '');
    pieces.forEach((p, i) => {
      leaf.append(p);
      if (i === lookAt) leaf.html();
    });
    expect(leaf.html().trimEnd()).toBe(shown);
  });

  it('when settled HTML goes to a target, then the target and the live part make html() and finalHtml(), and the target never ends in white space', () => {
    const piece = fc.constantFrom('word ', 'a', ' ', '  ', '**b**', '*c* ', '`d`', '~~f~~ ', '2*3', '**', '&amp;', '<b>', 'x'.repeat(300) + ' ');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 14 }), fc.integer({ min: 0, max: 14 }), (pieces, attachAt) => {
        const plain = createInlineLeaf(renderer, {}, '');
        const leaf = createInlineLeaf(renderer, {}, '');
        const target = createGrowingHtml('<p>');
        pieces.forEach((p, i) => {
          if (i === attachAt) leaf.settleInto(() => target);
          plain.append(p);
          leaf.append(p);
          if (i < attachAt) {
            leaf.html();
            return;
          }
          // Rendering settles, and what settles goes to the target: render first.
          const live = leaf.liveHtml();
          expect(target.value + live).toBe(`<p>${plain.html()}`);
          expect(target.value).not.toMatch(/\s$/);
        });
        if (attachAt >= pieces.length) return;
        expect(target.value.length).toBe(3 + leaf.settledIntoTarget);
        // A run settled by force (past LIVE_CHARS) renders whole otherwise: no rest then.
        const rest = leaf.finalRest();
        if (rest !== undefined) expect(target.value + rest).toBe(`<p>${plain.finalHtml()}`);
      }),
      { numRuns: 400 },
    );
  });
});
