import type { ChatEvent } from './events';

/**
 * A flat copy of `text`. A string grown by `+=` is a rope that holds every piece it was built
 * from (tens of bytes of bookkeeping per delta); kept for minutes, one flat copy is what pays.
 */
export function flat(text: string): string {
  return text.length < 2 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** Two bytes a character: the most V8 spends on a string (one-byte strings take half). */
const bytes = (text: string | null | undefined): number => (text ? text.length * 2 : 0);

/**
 * About how many bytes an ended answer keeps for replay: its own strings, once each (the final
 * event's `full_response` and the catch-up message share the answer's text), and those of its
 * final event. Counts strings, not the objects around them: a few hundred bytes an answer.
 */
export function keptBytes(
  prompt: string,
  text: string,
  reasoning: string | null,
  committed: string,
  tail: string,
  finalEvent: ChatEvent | undefined,
): number {
  let total = bytes(prompt) + bytes(text) + bytes(reasoning) + bytes(committed) + bytes(tail);
  if (finalEvent?.type === 'complete') {
    // `html` is `committed` itself once complete, `full_response` the text and `reasoning` its text.
    if (finalEvent.data.html !== committed) total += bytes(finalEvent.data.html);
  } else if (finalEvent?.type === 'error') {
    total += bytes(finalEvent.data.error);
  }
  return total;
}
