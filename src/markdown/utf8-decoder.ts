/** Turns UTF-8 byte chunks into string deltas for `MarkdownStream.push`. */
export interface Utf8DeltaDecoder {
  /** The text of `bytes`; a multi-byte character cut at the chunk's end waits for the next one. */
  decode(bytes: Uint8Array): string;
  /** Flushes a dangling partial character as U+FFFD. */
  end(): string;
}

/** For callers that read bytes themselves: a streaming, non-fatal UTF-8 decoder. */
export function createUtf8DeltaDecoder(): Utf8DeltaDecoder {
  // ignoreBOM keeps a leading BOM in the text, so the normaliser is the one place that strips it.
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}
