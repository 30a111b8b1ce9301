/** How much of an error body is read: enough for any real error message, never a flood. */
export const MAX_ERROR_BODY_BYTES = 4096;

/**
 * Reads at most `maxBytes` of a response body as text and leaves the rest unread (stopping
 * the iteration closes the connection), so a 30 MB error page costs 4 KB of memory. Never
 * throws: a body that fails to read gives what was read of it.
 */
export async function readErrorBody(body: AsyncIterable<Uint8Array>, maxBytes = MAX_ERROR_BODY_BYTES): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let read = 0;
  try {
    for await (const chunk of body) {
      const piece = chunk.subarray(0, maxBytes - read);
      read += piece.length;
      text += decoder.decode(piece, { stream: true });
      if (read >= maxBytes) break;
    }
    // A character cut at the limit is dropped rather than shown as U+FFFD.
    return text;
  } catch {
    return text;
  }
}
