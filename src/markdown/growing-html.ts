/**
 * HTML that only grows while the block it shows stays open (an open fence's lines, a list's
 * closed items), and remembers what it grew by, so that a tail can be sent as what it adds.
 */
export interface GrowingHtml {
  readonly value: string;
  readonly length: number;
  append(piece: string): void;
  /**
   * What was appended since `value` was `length` long, or undefined when that is not known: it
   * is kept from the last `mark()` on. The tail's editor is the one reader, and marks after
   * each read.
   */
  since(length: number): string | undefined;
  mark(): void;
}

// Pieces are joined into one flat string every so often: a rope of thousands of lines would cost
// the garbage collector time in proportion to the whole block at every collection.
const JOIN_EVERY = 256;
// Growth nobody reads (a stream whose tail is only ever asked for whole) is not kept forever.
const MAX_UNREAD = 64 * 1024;

export function createGrowingHtml(initial = ''): GrowingHtml {
  let joined = initial;
  let recent = '';
  let pieces: string[] = [];
  let length = initial.length;
  let unread = '';
  let unreadFrom = length;

  return {
    get value() {
      return joined + recent;
    },
    get length() {
      return length;
    },
    append(piece) {
      if (piece === '') return;
      recent += piece;
      pieces.push(piece);
      length += piece.length;
      if (pieces.length >= JOIN_EVERY) {
        joined += pieces.join('');
        recent = '';
        pieces = [];
      }
      if (unread.length + piece.length > MAX_UNREAD) {
        unread = '';
        unreadFrom = length;
      } else {
        unread += piece;
      }
    },
    since(from) {
      if (from < unreadFrom || from > length) return undefined;
      return unread.slice(from - unreadFrom);
    },
    mark() {
      unread = '';
      unreadFrom = length;
    },
  };
}
