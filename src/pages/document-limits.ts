/** What the file picker offers: the types POST /api/documents accepts (it sniffs the content, this only filters the picker). */
export const DOCUMENT_ACCEPT = '.pdf,.txt,.md,.markdown,.html,.htm,application/pdf,text/plain,text/markdown,text/html';

/** "10 MB", "512 KB": a byte limit as the page states it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
