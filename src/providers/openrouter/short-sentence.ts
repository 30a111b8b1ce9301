import { sliceWhole } from '../../util/whole-characters';

/** How much of an upstream's own words we pass on to our client; the rest goes to the log. */
export const MAX_RELAYED_CHARS = 200;

// C0 and C1 controls, and the bidi overrides that could make a relayed message read backwards.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * An upstream's message made fit to show a person: no control characters, one line, at most
 * `MAX_RELAYED_CHARS` characters (cut on a whole character, marked with "…").
 */
export function shortSentence(text: string, max = MAX_RELAYED_CHARS): string {
  const line = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  return `${sliceWhole(line, max - 1).trimEnd()}…`;
}
