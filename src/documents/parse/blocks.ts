/** A piece of a document's structure: a heading, or a paragraph of text under the last one. */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

/** Paragraphs separated by blank lines, each trimmed; blank ones dropped. */
export function paragraphs(text: string): Block[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => ({ kind: 'paragraph' as const, text: p }));
}
