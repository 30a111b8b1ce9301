import { getBlockRenderer } from '../../src/markdown/render';
import { createViewBuilder } from '../../src/markdown/view-builder';

const build = createViewBuilder(getBlockRenderer());

describe('createViewBuilder', () => {
  test.each([
    ['a paragraph', 'Done.\n\nNow **bo', 'paragraph', '<p>Done.</p>\n<p>Now <strong>bo</strong></p>\n'],
    ['a list', '- a\n- b', 'list', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'],
    ['a table with a row being written', '| a |\n|---|\n| `x', 'table', '<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td><code>x</code></td>\n</tr>\n</tbody></table>\n'],
    ['a heading', '# Ti', 'frozen', '<h1>Ti</h1>\n'],
    ['a rule', '***\n', 'frozen', '<hr />\n'],
    ['nothing but blank lines', '\n\n', 'frozen', ''],
  ])('when the region ends in %s, then the view is a %s view showing it', (_name, region, kind, html) => {
    const view = build(region, {});
    expect(view.kind).toBe(kind);
    expect(view.html()).toBe(html);
  });
});
