import type { Token, Tokens } from 'marked';

/** The run of inline text at the very end of a block, where constructs may still be open. */
export interface OpenLeaf {
  /** Its markdown, without block markers (list bullets, `>`, cell pipes). */
  text: string;
  /** Marked's inline tokens for it, to be replaced by those of the repaired text. */
  tokens: Token[];
  kind: 'paragraph' | 'text' | 'heading' | 'cell';
}

function lastNonSpace(tokens: readonly Token[]): Token | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (tokens[i]!.type !== 'space') return tokens[i];
  }
  return undefined;
}

/**
 * The inline run that the end of the text belongs to, descending through lists and block
 * quotes; undefined when the text ends in code, HTML, a rule, or a table row that is complete.
 * `endsWithNewline` says whether the text's last line is complete.
 */
export function findOpenLeaf(tokens: readonly Token[], endsWithNewline: boolean): OpenLeaf | undefined {
  const token = lastNonSpace(tokens);
  if (token === undefined) return undefined;
  switch (token.type) {
    case 'paragraph':
    case 'text':
    case 'heading': {
      const inline = token as Tokens.Paragraph | Tokens.Text | Tokens.Heading;
      return inline.tokens === undefined ? undefined : { text: inline.text, tokens: inline.tokens, kind: token.type };
    }
    case 'list': {
      const item = (token as Tokens.List).items.at(-1);
      return item === undefined ? undefined : findOpenLeaf(item.tokens, endsWithNewline);
    }
    case 'blockquote':
      return findOpenLeaf((token as Tokens.Blockquote).tokens, endsWithNewline);
    case 'table': {
      if (endsWithNewline) return undefined;
      const table = token as Tokens.Table;
      const row = table.rows.at(-1);
      if (row === undefined) return undefined;
      for (let i = row.length - 1; i >= 0; i--) {
        const cell = row[i]!;
        if (cell.text !== '') return { text: cell.text, tokens: cell.tokens, kind: 'cell' };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
