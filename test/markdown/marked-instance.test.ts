import { marked } from 'marked';
import { createMarkedEngine, EMPHASIS_REACH, MAX_NESTING } from '../../src/markdown/marked-instance';

describe('createMarkedEngine', () => {
  const engine = createMarkedEngine();
  const render = (src: string): string => engine.renderBlocks(engine.lexBlocks(src).tokens);

  it('when the markdown holds raw HTML, then it is shown as text, block and inline', () => {
    expect(render('<div onclick="x">\nhi\n</div>')).toBe('<p>&lt;div onclick="x"&gt;\nhi\n&lt;/div&gt;</p>\n');
    expect(render('a <b>bold</b> <img src=x onerror=alert(1)>')).toBe('<p>a &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n');
  });

  it('when no image host is allowed, then an image becomes its alt text', () => {
    expect(render('![a *b* <c>](https://i.imgur.com/x.png)')).toBe('<p>a b &lt;c&gt;</p>\n');
  });

  it('when the image host is allowed, then the image is rendered with every & escaped', () => {
    const withImages = createMarkedEngine(['i.imgur.com']);
    const html = withImages.renderBlocks(withImages.lexBlocks('![a](https://i.imgur.com/x.png?a=1&b=2 "t")').tokens);
    expect(html).toBe('<p><img src="https://i.imgur.com/x.png?a=1&amp;b=2" alt="a" title="t"></p>\n');
  });

  it('when block structure is lexed, then inline content waits until asked for, and is lexed once', () => {
    const structure = engine.lexBlockStructure('para *em*\n\n# head');
    const [paragraph] = structure.tokens;
    expect(paragraph).toMatchObject({ type: 'paragraph', tokens: [] });
    structure.lexInlineOf([paragraph!]);
    structure.lexInlineOf([paragraph!]);
    expect(engine.renderBlocks([paragraph!])).toBe('<p>para <em>em</em></p>\n');
  });

  it('when definitions are passed in, then references resolve against them', () => {
    const links = { ref: { href: 'https://example.com', title: null } };
    expect(engine.renderBlocks(engine.lexBlocks('[ref]', links).tokens)).toBe('<p><a href="https://example.com">ref</a></p>\n');
    expect(engine.renderInline(engine.lexInline('[ref]', links))).toBe('<a href="https://example.com">ref</a>');
  });

  it('when quotes nest deeper than MAX_NESTING, then the markers past the limit are text', () => {
    const open = '<blockquote>\n'.repeat(MAX_NESTING);
    const close = '</blockquote>\n'.repeat(MAX_NESTING);
    expect(render(`${'>'.repeat(MAX_NESTING)} fits`)).toBe(`${open}<p>fits</p>\n${close}`);
    expect(render(`${'>'.repeat(MAX_NESTING + 2)} deep`)).toBe(`${open}<p>&gt;&gt; deep</p>\n${close}`);
  });

  it('when a list nests deeper than MAX_NESTING, then the items past the limit are text', () => {
    const items = Array.from({ length: MAX_NESTING + 1 }, (_, i) => `${'  '.repeat(i)}- ${i}`).join('\n');
    const html = render(items);
    expect(html.match(/<ul>/g)).toHaveLength(MAX_NESTING);
    expect(html).toContain(`<li>${MAX_NESTING - 1}\n- ${MAX_NESTING}</li>`);
  });

  it('when lists nest hundreds deep, then each character is lexed again at most once per allowed level', () => {
    const staircase = (depth: number): string => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- item`).join('\n');
    const workPerCharacter = (src: string): number => {
      const before = engine.nestedWork;
      engine.lexBlocks(src);
      return (engine.nestedWork - before) / src.length;
    };
    expect(workPerCharacter(staircase(100))).toBeGreaterThan(1);
    // Each character is lexed once more per level it sits in, and no more than MAX_NESTING levels count.
    expect(workPerCharacter(staircase(400))).toBeLessThanOrEqual(MAX_NESTING);
  });

  it('when an emphasis closes within EMPHASIS_REACH, then it is emphasis; further away, its markers are text', () => {
    const near = 'b'.repeat(EMPHASIS_REACH - 10);
    const far = 'b'.repeat(EMPHASIS_REACH + 10);
    const padding = 'x '.repeat(EMPHASIS_REACH);
    expect(render(`${padding}a *${near}* c`)).toBe(`<p>${padding}a <em>${near}</em> c</p>\n`);
    expect(render(`${padding}a __${near}__ c`)).toBe(`<p>${padding}a <strong>${near}</strong> c</p>\n`);
    expect(render(`${padding}a *${far}* c`)).toBe(`<p>${padding}a *${far}* c</p>\n`);
  });

  it('when the engine renders, then the global marked is left as it was', () => {
    expect(marked.parse('<b>x</b>', { async: false })).toBe('<p><b>x</b></p>\n');
  });
});
