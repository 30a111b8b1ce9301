import type { Token, Tokens } from 'marked';
import type { LinkDefinitions } from './marked-instance';

/**
 * Adds the reference definitions found in `tokens` (block quotes and list items included) to
 * `into`. The first definition of a label wins, as in marked.
 */
export function collectLinkDefinitions(tokens: readonly Token[], into: LinkDefinitions): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'def': {
        const def = token as Tokens.Def;
        if (!Object.hasOwn(into, def.tag)) into[def.tag] = { href: def.href, title: def.title };
        break;
      }
      case 'blockquote':
        collectLinkDefinitions((token as Tokens.Blockquote).tokens, into);
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) collectLinkDefinitions(item.tokens, into);
        break;
    }
  }
}
