import { sourcePlace, sourcesFragment } from '../../src/pages/source-fragments';

describe('sourcePlace', () => {
  test.each([
    ['a PDF passage under a heading', { name: 'guide.PDF', page: 3, heading: 'Setup > Keys' }, 'page 3 · Setup > Keys'],
    ['a PDF passage under no heading', { name: 'guide.pdf', page: 1, heading: '' }, 'page 1'],
    ['a markdown passage, whose page 1 says nothing', { name: 'notes.md', page: 1, heading: 'Intro' }, 'Intro'],
    ['a text passage under no heading', { name: 'notes.txt', page: 1, heading: '' }, ''],
  ])('when it is %s, then it reads %p', (_case, source, expected) => {
    expect(sourcePlace(source)).toBe(expected);
  });
});

describe('sourcesFragment', () => {
  test('when there are no sources, then nothing is rendered, not an empty list', () => {
    expect(sourcesFragment('a1', []).value).toBe('');
  });

  test('when sources have no heading or page, then each is a numbered disclosure with its name and snippet only', () => {
    expect(sourcesFragment('a1', [{ n: 2, document_id: 'd"1', name: 'notes.txt', page: 1, heading: '', snippet: 'Line one\nline "two"' }]).value).toBe(
      '<section class="sources" aria-label="Sources"><h2 class="sources__title">Sources</h2><ol class="sources__list">' +
        '<li class="source" id="source-a1-2" data-n="2" data-document-id="d&quot;1"><details class="source__details">' +
        '<summary><span class="source__n">[2]</span> <span class="source__name">notes.txt</span></summary>' +
        '<blockquote class="source__passage">Line one\nline &quot;two&quot;</blockquote></details></li></ol></section>',
    );
  });
});
