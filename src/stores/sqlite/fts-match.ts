/**
 * An FTS5 query matching any of `words`, each quoted so that no word is read as FTS5 syntax
 * (`"`, `*`, `NEAR`, `-`…); undefined when there is none, which would match nothing.
 */
export function ftsMatch(words: readonly string[]): string | undefined {
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
}
