import type { Token, Tokens } from 'marked';
import type { BlockStructure, LinkDefinitions } from './marked-instance';
import type { BlockRenderer } from './render';
import { listMarkerKind } from './safe-continuation';
import { linkCount } from './link-layers';

/** A region that ended in a list, as last lexed: what stays the same while the list grows. */
interface KnownList {
  /** The region's text up to where the list's last item starts; unchanged while only it grows. */
  head: string;
  /** Where the list starts in the region. */
  listStart: number;
  /** The tokens before the list, and the structure that lexes their inline content. */
  before: Token[];
  beforeStructure: BlockStructure;
  /** The list's items before its last, their inline content lexed already. */
  items: Tokens.ListItem[];
  list: Tokens.List;
  links: LinkDefinitions;
}

/** Tokens of a region and the structure they came from (for lexing their inline content). */
export interface LexedRegion {
  tokens: Token[];
  structure: BlockStructure;
}

function isList(token: Token | undefined): token is Tokens.List {
  return token?.type === 'list';
}

/**
 * Lexes the uncommitted region for the tail. While a list grows at the end of it, everything
 * before the list's last item stays as it was (earlier items cannot gain lines), so only the text
 * from that item on is lexed again, as a list of its own, and joined to the items before it.
 * Without this, every line of a long list that no view can follow (items holding code blocks or
 * several paragraphs) lexes the whole list again. Anything it cannot join exactly (the list
 * ends, changes bullet, turns loose, a definition appears) falls back to lexing the region.
 * Blocks before the list keep the structure of the full lex they came from.
 */
export function createListRelexer(renderer: BlockRenderer) {
  let known: KnownList | undefined;

  const remember = (region: string, lexed: LexedRegion, beforeStructure = lexed.structure): void => {
    known = undefined;
    let last = lexed.tokens.length - 1;
    while (last >= 0 && lexed.tokens[last]!.type === 'space') last--;
    const list = lexed.tokens[last];
    if (!isList(list) || list.items.length < 2) return;
    let listStart = 0;
    for (const token of lexed.tokens.slice(0, last)) listStart += token.raw.length;
    let start = listStart;
    for (const item of list.items.slice(0, -1)) start += item.raw.length;
    if (!region.startsWith(list.items.at(-1)!.raw, start)) return;
    const items = list.items.slice(0, -1);
    // Lexed now, while their structure is at hand: the next lex has a structure of its own.
    lexed.structure.lexInlineOf(items.flatMap((item) => item.tokens));
    known = {
      head: region.slice(0, start),
      listStart,
      before: lexed.tokens.slice(0, last),
      beforeStructure,
      items,
      list,
      links: lexed.structure.links,
    };
  };

  /** The region lexed from its list's last item on, joined to what came before; undefined if it cannot be. */
  const relex = (region: string, links: LinkDefinitions): LexedRegion | undefined => {
    if (known === undefined || region.length <= known.head.length || !region.startsWith(known.head)) return undefined;
    const rest = region.slice(known.head.length);
    const fresh = renderer.engine.lexBlockStructure(rest, links);
    const blocks = fresh.tokens.filter((token) => token.type !== 'space');
    const tail = blocks[0];
    if (blocks.length !== 1 || !isList(tail) || fresh.tokens[0] !== tail) return undefined;
    if (tail.ordered !== known.list.ordered || listMarkerKind(tail.raw) !== listMarkerKind(known.list.raw)) return undefined;
    // A loose list renders every item as paragraphs: the items kept were rendered tight.
    if (tail.loose && !known.list.loose) return undefined;
    if (linkCount(fresh.links) !== linkCount(known.links)) return undefined;
    if (known.list.loose && !tail.loose) {
      // A task's checkbox goes inside a loose item's paragraph, beside a tight item's text.
      if (tail.items.some((item) => item.task)) return undefined;
      // As marked does for the whole list once any item is loose.
      for (const item of tail.items) {
        item.loose = true;
        for (const token of item.tokens) if (token.type === 'text') (token as Token).type = 'paragraph';
      }
    }
    const list: Tokens.List = {
      ...known.list,
      raw: region.slice(known.listStart, known.head.length) + tail.raw,
      items: [...known.items, ...tail.items],
    };
    const tokens = [...known.before, list, ...fresh.tokens.slice(1)];
    const { beforeStructure } = known;
    const structure: BlockStructure = {
      tokens,
      links: fresh.links,
      lexInlineOf(wanted) {
        beforeStructure.lexInlineOf(wanted);
        fresh.lexInlineOf(wanted);
      },
    };
    return { tokens, structure };
  };

  return {
    /** The block tokens of `region`, lexing as little of it as is provably enough. */
    lex(region: string, links: LinkDefinitions): LexedRegion {
      const beforeStructure = known?.beforeStructure;
      const lexed = relex(region, links);
      if (lexed !== undefined) {
        remember(region, lexed, beforeStructure);
        return lexed;
      }
      const structure = renderer.engine.lexBlockStructure(region, links);
      const full = { tokens: structure.tokens, structure };
      remember(region, full);
      return full;
    },
    /** A lex of `region` made elsewhere (the commit pass), to start from next time. */
    remember,
  };
}
