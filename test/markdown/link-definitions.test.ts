import { collectLinkDefinitions } from '../../src/markdown/link-definitions';
import { getBlockRenderer } from '../../src/markdown/render';

describe('collectLinkDefinitions', () => {
  it('when definitions sit in quotes and list items, then all are found and the first of a label wins', () => {
    const { tokens } = getBlockRenderer().engine.lexBlockStructure('[a]: https://a\n\n> [b]: https://b\n\n- [c]: https://c\n\n[A]: https://other\n');
    const links = {};
    collectLinkDefinitions(tokens, links);
    expect(links).toEqual({
      a: { href: 'https://a', title: undefined },
      b: { href: 'https://b', title: undefined },
      c: { href: 'https://c', title: undefined },
    });
  });
});
