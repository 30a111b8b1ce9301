/** Bytes decoded at a time: a slice's worth of work (see slices.ts). */
const PIECE_BYTES = 64 * 1024;

/** A file's text in pieces of at most {@link PIECE_BYTES} bytes' worth, or `binary` when it is not text. */
export interface DecodedText {
  pieces: string[];
  /** Invalid UTF-8 or a NUL byte: not a text file. */
  binary: boolean;
}

/**
 * Decodes `bytes` as UTF-8 into `into.pieces`, one piece per step (yielding the bytes it took):
 * the BOM dropped, CRLF and lone CR made LF, a CR at a piece's end carried over in case an LF
 * follows. Stops with `into.binary` set at the first invalid sequence or NUL.
 */
export function* decodeSteps(bytes: Uint8Array, into: DecodedText): Generator<number, void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    const end = Math.min(bytes.length, at + PIECE_BYTES);
    const last = end === bytes.length;
    let piece: string;
    try {
      piece = decoder.decode(bytes.subarray(at, end), { stream: !last });
    } catch {
      into.binary = true;
      return;
    }
    if (piece.includes('\0')) {
      into.binary = true;
      return;
    }
    if (at === 0 && piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    piece = carry + piece;
    carry = '';
    if (!last && piece.endsWith('\r')) {
      carry = '\r';
      piece = piece.slice(0, -1);
    }
    into.pieces.push(piece.replace(/\r\n?/g, '\n'));
    yield end - at;
  }
}

/** The lines of the text the pieces make, as `text.split('\n')` would give them, without joining it. */
export function* linesOf(pieces: Iterable<string>): Generator<string, void> {
  let partial = '';
  for (const piece of pieces) {
    const parts = piece.split('\n');
    parts[0] = partial + parts[0]!;
    partial = parts.pop()!;
    yield* parts;
  }
  yield partial;
}

/** The first `max` characters of the text the pieces make. */
export function startOf(pieces: readonly string[], max: number): string {
  let out = '';
  for (const piece of pieces) {
    if (out.length >= max) break;
    out += piece.slice(0, max - out.length);
  }
  return out;
}
