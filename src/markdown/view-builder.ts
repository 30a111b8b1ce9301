import type { Token, Tokens } from 'marked';
import { createBlockPieces, growableText, holdsSentinel } from './block-pieces';
import { createInlineLeaf } from './inline-leaf';
import { createListRelexer, type LexedRegion } from './list-relex';
import { buildListView } from './list-view-builder';
import type { BlockStructure, LinkDefinitions } from './marked-instance';
import { findOpenLeaf } from './open-leaf';
import { renderAsText, type BlockRenderer } from './render';
import { frozenView, paragraphView, tableView, type BlockView } from './tail-views';
import { linkCount } from './link-layers';

export type { LexedRegion } from './list-relex';

/** Builds the view of a region: the blocks before the open one rendered, the open one followable. */
export type ViewBuilder = (region: string, links: LinkDefinitions, lexed?: LexedRegion) => BlockView;

function isOneParagraph(tokens: readonly Token[]): boolean {
  const blocks = tokens.filter((token) => token.type !== 'space');
  return blocks.length === 1 && blocks[0]!.type === 'paragraph';
}

function lastNonSpaceIndex(tokens: readonly Token[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.type !== 'space') return i;
  return -1;
}

/**
 * Lexes a region (or takes the commit pass's fresh lex of it) and picks the view its last block
 * calls for: a paragraph, list or table that can be followed as it grows, or anything else
 * rendered once with its open leaf (a heading's text, a quote's paragraph) followed.
 */
export function createViewBuilder(renderer: BlockRenderer): ViewBuilder {
  const pieces = createBlockPieces(renderer);
  const relexer = createListRelexer(renderer);

  const renderPrefix = (structure: BlockStructure, tokens: readonly Token[]): string => {
    const definitions = linkCount(structure.links);
    let html = '';
    for (const token of tokens) {
      if (token.type === 'space' || token.type === 'def') continue;
      html += pieces.memo(`${definitions}\u0000${token.raw}`, () => {
        structure.lexInlineOf([token]);
        return renderer.renderBlock(token);
      });
    }
    return html;
  };

  /** A table whose last line is a row being written, or complete; undefined while its delimiter row is. */
  const buildTableView = (
    structure: BlockStructure,
    table: Tokens.Table,
    prefix: string,
    region: string,
  ): BlockView | undefined => {
    const endsWithNewline = region.endsWith('\n');
    const growing = !endsWithNewline && table.rows.length > 0;
    if (!growing && !endsWithNewline) return undefined;
    structure.lexInlineOf([table]);
    const [header = '', delimiter = ''] = table.raw.split('\n', 2);
    const liveRow = growing ? region.slice(region.lastIndexOf('\n') + 1) : '';
    if (growing) table.rows.pop();
    const html = renderer.renderBlock(table);
    const headEnd = html.indexOf('</thead>\n');
    if (headEnd === -1) return undefined;
    const bodyStart = html.indexOf('<tbody>');
    const bodyEnd = html.lastIndexOf('</tbody>');
    const view = tableView(renderer, structure.links, {
      before: prefix + html.slice(0, headEnd + '</thead>\n'.length),
      rows: bodyStart === -1 || bodyEnd === -1 ? '' : html.slice(bodyStart + '<tbody>'.length, bodyEnd),
      headerLines: `${header}\n${delimiter}`,
      liveRow,
    });
    // A line that continues a table is a row, whatever else it turns out to hold.
    return growing ? { ...view, knowsLastLine: true } : view;
  };

  return (region, links, lexed) => {
    let structure: BlockStructure;
    let tokens: Token[];
    try {
      if (lexed !== undefined) relexer.remember(region, lexed);
      ({ structure, tokens } = lexed ?? relexer.lex(region, links));
    } catch {
      return frozenView(renderAsText(region));
    }
    const lastIndex = lastNonSpaceIndex(tokens);
    if (lastIndex === -1) return frozenView('');
    const prefix = renderPrefix(structure, tokens.slice(0, lastIndex));
    const last = tokens[lastIndex]!;
    const endsWithNewline = region.endsWith('\n');
    const leafOf = (text: string) => createInlineLeaf(renderer, structure.links, growableText(text, region));

    if (last.type === 'paragraph') return paragraphView(`${prefix}<p>`, '</p>\n', leafOf((last as Tokens.Paragraph).text));
    const special = last.type === 'table'
      ? buildTableView(structure, last as Tokens.Table, prefix, region)
      : last.type === 'list' ? buildListView(renderer, pieces, structure, last as Tokens.List, prefix, region) : undefined;
    if (special !== undefined) return special;

    structure.lexInlineOf([last]);
    const leaf = findOpenLeaf([last], endsWithNewline);
    const followable = leaf !== undefined && leaf.kind !== 'cell' && !holdsSentinel(region);
    const split = followable ? pieces.around(last, leaf.tokens) : undefined;
    if (leaf === undefined || split === undefined) {
      return frozenView(prefix + pieces.repaired(last, endsWithNewline, structure.links));
    }
    // A quote of one paragraph, the usual kind, is followed line by line like a paragraph.
    if (last.type === 'blockquote' && isOneParagraph((last as Tokens.Blockquote).tokens)) {
      return paragraphView(prefix + split.before, split.after, leafOf(leaf.text), true);
    }
    return frozenView(prefix + split.before, split.after, leafOf(leaf.text));
  };
}
