import { createLinkLayer, linkCount } from '../../src/markdown/link-layers';
import { createMarkedEngine } from '../../src/markdown/marked-instance';

const link = (href: string) => ({ href, title: null });

describe('createLinkLayer', () => {
  it('when a label is defined on a layer, then the layer holds it and its base stays as it was', () => {
    const base = createLinkLayer();
    base.a = link('/a');
    const layer = createLinkLayer(base);
    layer.b = link('/b');
    expect([layer.a, layer.b, layer.c]).toEqual([link('/a'), link('/b'), undefined]);
    expect([Object.hasOwn(layer, 'a'), Object.hasOwn(layer, 'b'), Object.hasOwn(layer, 'c')]).toEqual([true, true, false]);
    expect(Object.keys(layer)).toEqual(['a', 'b']);
    expect(Object.keys(base)).toEqual(['a']);
  });

  it('when the base takes a label after the layer was made, then the layer reads it through', () => {
    const base = createLinkLayer();
    const layer = createLinkLayer(base);
    base.late = link('/late');
    expect(layer.late).toEqual(link('/late'));
    expect('late' in layer).toBe(true);
  });

  it('when a label is not defined, then nothing on the object prototype shows through', () => {
    const layer = createLinkLayer({});
    expect([layer.constructor, layer.toString, 'constructor' in layer]).toEqual([undefined, undefined, false]);
  });

  it('when marked lexes over a layer, then the first definition of a label wins and references resolve through it', () => {
    const engine = createMarkedEngine();
    const base = createLinkLayer();
    base.first = link('https://example.com/first');
    const { tokens, links } = engine.lexBlocks('[first]: https://example.com/second\n[other]: https://example.com/other\n\n[first] and [other]\n', base);
    expect(engine.renderBlocks(tokens)).toBe('<p><a href="https://example.com/first">first</a> and <a href="https://example.com/other">other</a></p>\n');
    expect([linkCount(links), linkCount(base)]).toEqual([2, 1]);
  });
});

describe('linkCount', () => {
  it('when layers are stacked, then every label counts once, a label both define included', () => {
    const base = createLinkLayer();
    base.a = link('/a');
    base.b = link('/b');
    const layer = createLinkLayer(base);
    layer.c = link('/c');
    layer.d = link('/d');
    // Taken by the base after the layer had it (a commit of the layer's text).
    base.c = link('/c');
    expect([linkCount(base), linkCount(layer), linkCount({ x: link('/x') })]).toEqual([3, 4, 1]);
  });
});
