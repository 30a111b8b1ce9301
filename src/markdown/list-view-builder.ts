import type { Tokens } from 'marked';
import { growableText, holdsSentinel, type BlockPieces } from './block-pieces';
import { createInlineLeaf } from './inline-leaf';
import type { BlockStructure, LinkDefinitions } from './marked-instance';
import { findOpenLeaf } from './open-leaf';
import type { BlockRenderer } from './render';
import { frozenView, listView, type BlockView } from './tail-views';
import { linkCount } from './link-layers';

const LIST_MARKER = /^ {0,3}([-*+]|\d{1,9}[.)])/;
/** What opens the list, up to its first item. */
const openingOf = (html: string): string => html.slice(0, html.indexOf('\n') + 1);

/**
 * The view of a list that ends the region, `prefix` being the HTML before it. Items are rendered
 * one by one, earlier ones from the memo, so a long list costs no more per line than a short
 * one; a last item that is one run of text is followed as new items arrive.
 */
export function buildListView(
  renderer: BlockRenderer,
  pieces: BlockPieces,
  structure: BlockStructure,
  list: Tokens.List,
  prefix: string,
  region: string,
): BlockView | undefined {
  const last = list.items.at(-1);
  if (last === undefined || holdsSentinel(region)) return undefined;
  const { links } = structure;
  const definitions = linkCount(links);
  let items = '';
  for (const item of list.items.slice(0, -1)) {
    items += pieces.memo(`${definitions}\u0000${list.ordered}\u0000${item.loose}\u0000${item.raw}`, () => {
      structure.lexInlineOf(item.tokens);
      const whole = renderer.renderBlock({ ...list, items: [item] });
      return whole.slice(whole.indexOf('\n') + 1, whole.lastIndexOf('</'));
    });
  }
  structure.lexInlineOf(last.tokens);
  const lastAlone: Tokens.List = { ...list, items: [last] };
  const endsWithNewline = region.endsWith('\n');
  const leaf = findOpenLeaf([lastAlone], endsWithNewline);
  if (leaf === undefined) {
    const whole = pieces.repaired(lastAlone, endsWithNewline, links);
    return frozenView(prefix + openingOf(whole) + items + whole.slice(openingOf(whole).length));
  }
  const leafText = leaf.text;
  const split = pieces.around(lastAlone, leaf.tokens);
  if (split === undefined) return undefined;
  const opening = openingOf(split.before);
  const before = prefix + opening + items + split.before.slice(opening.length);
  const leafOfLast = createInlineLeaf(renderer, links, growableText(leafText, region));
  const inItem = last.tokens.filter((token) => token.type !== 'space');
  const simple = !last.task && inItem.length === 1 && (inItem[0]!.type === 'text' || inItem[0]!.type === 'paragraph');
  const marker = LIST_MARKER.exec(list.raw)?.[1];
  if (!simple || marker === undefined) return frozenView(before, split.after, leafOfLast);
  return listView(renderer, links, {
    before,
    after: split.after,
    between: leaf.kind === 'paragraph' ? '</p>\n</li>\n<li><p>' : '</li>\n<li>',
    marker,
  }, leafOfLast);
}
