/**
 * What the answer markup (views/partials/answer.eta) and the HTML event stream
 * (src/encoders/html-sse.ts) agree on: where each part of an answer lives, and the event
 * that tells the htmx SSE extension to close instead of reconnecting.
 */

/**
 * htmx 4 extended selectors, resolved from the element that holds the stream connection.
 * `:scope >` pins each slot to its place in our markup, so no element inside the
 * answer's own HTML can pose as a slot.
 */
export const SLOT_TARGETS = Object.freeze({
  source: 'find :scope > header > [data-slot=source]',
  status: 'find :scope > header > [data-slot=status]',
  thinking: 'find :scope > [data-slot=thinking]',
  committed: 'find :scope > [data-slot=committed]',
  tail: 'find :scope > [data-slot=tail]',
  /** The numbered passages a grounded answer cites (`event: sources`). */
  sources: 'find :scope > [data-slot=sources]',
  footer: 'find :scope > [data-slot=footer]',
});

export type AnswerSlot = keyof typeof SLOT_TARGETS;

/**
 * Parts of the Thinking disclosure, which the stream itself puts in the thinking slot
 * (`thinkingFragment`): the reasoning text, and the summary line that reads "Thinking…" and
 * then "Thought for 12 s".
 */
export const THINKING_TARGETS = Object.freeze({
  text: `${SLOT_TARGETS.thinking} > details > [data-part=text]`,
  summary: `${SLOT_TARGETS.thinking} > details > summary`,
});

/** Named SSE event sent after `complete` or `error`; the answer element has `hx-sse:close` set to it. */
export const STREAM_END_EVENT = 'stream-end';
