/** Text kept as the pieces it arrived in, joined only when read. */
export interface TextChunks {
  append(piece: string): void;
  /** The whole text; cached until the next append. */
  toString(): string;
  /** The text from `start` on. */
  sliceFrom(start: number): string;
  readonly length: number;
}

// Small pieces are merged every so often: a long answer arrives in tens of thousands of deltas,
// and keeping each one alive (or chaining them into one deep rope) costs the garbage collector
// time proportional to everything kept, at every collection.
const MERGE_EVERY = 256;

export function createTextChunks(): TextChunks {
  const chunks: string[] = [];
  let recent: string[] = [];
  let length = 0;
  let joined: string | undefined = '';

  return {
    append(piece) {
      if (piece === '') return;
      recent.push(piece);
      length += piece.length;
      joined = undefined;
      if (recent.length >= MERGE_EVERY) {
        chunks.push(recent.join(''));
        recent = [];
      }
    },
    toString() {
      if (joined === undefined) {
        joined = chunks.join('') + recent.join('');
        chunks.length = 0;
        chunks.push(joined);
        recent = [];
      }
      return joined;
    },
    sliceFrom(start) {
      return this.toString().slice(start);
    },
    get length() {
      return length;
    },
  };
}
