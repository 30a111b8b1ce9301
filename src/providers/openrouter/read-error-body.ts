/** How much of an error body is read: enough for any real error message, never a flood. */
export const MAX_ERROR_BODY_BYTES = 4096;

/**
 * Reads at most `maxBytes` of a response body as text and cancels the rest, so a 30 MB error
 * page costs 4 KB of memory. Never throws: a body that fails to read is empty.
 */
export async function readErrorBody(body: ReadableStream<Uint8Array> | null, maxBytes = MAX_ERROR_BODY_BYTES): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let read = 0;
  try {
    while (read < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const piece = value.subarray(0, maxBytes - read);
      read += piece.length;
      text += decoder.decode(piece, { stream: true });
    }
    // A character cut at the limit is dropped rather than shown as U+FFFD.
    return text;
  } catch {
    return text;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
