import { words } from '../../documents/retrieval/search-query';

/**
 * The words of `text` as the PostgreSQL document store indexes and searches them, as SQLite's
 * unicode61 tokenizer splits them: runs of letters and digits of any script, lower-cased, with
 * diacritics removed ("Naïve" is "naive"), everything else a separator. Passages and questions
 * both go through it, so `config.yaml` and `a@b.com` are two words each on both sides, where
 * PostgreSQL's own parser would keep them as one token. Its words hold no tsquery syntax.
 */
export function searchWords(text: string): string[] {
  return words(text.normalize('NFKD').replace(/\p{M}+/gu, ''));
}
