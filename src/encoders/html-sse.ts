import type { ChatEvent, MessageData, ProgressData, ReasoningData } from '../chat/events';
import { SLOT_TARGETS, STREAM_END_EVENT, THINKING_TARGETS, type AnswerSlot } from '../pages/answer-contract';
import {
  RESPONDING,
  errorFragment,
  footerFragment,
  sourceFragment,
  thinkingFragment,
  thoughtForFragment,
} from '../pages/answer-fragments';
import { html, trusted, type SafeHtml } from '../pages/html';
import { sourcesFragment } from '../pages/source-fragments';
import { sseFrame } from '../sse/sse-frame';
import { RecentFrames } from './recent-frames';

type Swap = 'innerHTML' | 'beforeend';

/** An htmx 4 partial: its content goes into one slot of the answer that holds the connection. */
function partial(slot: AnswerSlot, swap: Swap, content: SafeHtml): SafeHtml {
  return partialAt(SLOT_TARGETS[slot], swap, content);
}

function partialAt(target: string, swap: Swap, content: SafeHtml): SafeHtml {
  return html`<hx-partial hx-target="${target}" hx-swap="${swap}">${content}</hx-partial>`;
}

const EMPTY = html``;

/** Unnamed frames are swapped by the SSE extension; their `id:` is what a reconnect resumes from. */
function swapFrame(id: number, parts: SafeHtml[]): string {
  return sseFrame({ id, data: parts.join('') });
}

/** Moves the client's Last-Event-ID forward without dispatching anything. */
function idOnlyFrame(id: number): string {
  return `id: ${id}\n\n`;
}

/** A named event: the extension dispatches it instead of swapping, and closes on it. */
const END_FRAME = sseFrame({ event: STREAM_END_EVENT, data: '' });

/**
 * The tail as an edit of the one before (see public/tail-edit.js): `add` travels as an
 * attribute, since a piece of HTML such as `x\n</code></pre>` would not survive being parsed
 * on its own. A whole tail is the edit that keeps nothing.
 */
function tailEdit(keep: number, add: string): SafeHtml {
  return html`<tail-edit keep="${keep}" add="${add}"></tail-edit>`;
}

function messageParts(data: MessageData): SafeHtml[] {
  const parts: SafeHtml[] = [];
  if (data.reset) parts.push(partial('committed', 'innerHTML', trusted(data.html.append)));
  else if (data.html.append !== '') parts.push(partial('committed', 'beforeend', trusted(data.html.append)));
  const edit = data.reset || data.html.tail !== undefined ? { keep: 0, add: data.html.tail ?? '' } : data.html.tail_edit;
  if (edit !== undefined) parts.push(partial('tail', 'innerHTML', tailEdit(edit.keep, edit.add)));
  // The first delta, or a catch-up that stands in for it, ends the wait: the answer is being written.
  if (data.reset || data.count === 1) parts.push(partial('status', 'innerHTML', RESPONDING));
  return parts;
}

/** The stage line shows the stage's sentence; the turn to writing also folds the reasoning away. */
function progressParts(data: ProgressData): SafeHtml[] {
  const parts = [partial('status', 'innerHTML', html`${data.message}`)];
  if (data.stage === 'generating' && data.reasoning_ms !== undefined) {
    parts.push(partialAt(THINKING_TARGETS.summary, 'innerHTML', thoughtForFragment(data.reasoning_ms)));
  }
  return parts;
}

/** The first reasoning (or a catch-up's whole reasoning) opens the disclosure; later deltas append escaped text to it. */
function reasoningParts(data: ReasoningData): SafeHtml[] {
  if (data.reset || data.count === 1) return [partial('thinking', 'innerHTML', thinkingFragment(data.content))];
  return [partialAt(THINKING_TARGETS.text, 'beforeend', html`${data.content}`)];
}

function encode(event: ChatEvent, streamId: string, prompt: string | undefined): string {
  switch (event.type) {
    case 'start':
      return swapFrame(event.id, [partial('source', 'innerHTML', sourceFragment(event.data))]);
    case 'progress':
      return swapFrame(event.id, progressParts(event.data));
    case 'reasoning':
      return swapFrame(event.id, reasoningParts(event.data));
    // The numbered passages, escaped, under the answer; public/citations.js links the answer's [n] to them.
    case 'sources':
      return swapFrame(event.id, [partial('sources', 'innerHTML', sourcesFragment(streamId, event.data.sources))]);
    case 'message': {
      const parts = messageParts(event.data);
      return parts.length > 0 ? swapFrame(event.id, parts) : idOnlyFrame(event.id);
    }
    case 'complete':
      return (
        swapFrame(event.id, [
          // An answer that ended while the model still thought never had its disclosure folded by
          // `generating`: fold it here. One that did keeps it as the reader left it, open or not.
          ...(event.data.reasoning !== null && event.data.full_response === ''
            ? [partial('thinking', 'innerHTML', thinkingFragment(event.data.reasoning, event.data.reasoning_ms ?? 0))]
            : []),
          partial('committed', 'innerHTML', trusted(event.data.html)),
          partial('tail', 'innerHTML', EMPTY),
          partial('status', 'innerHTML', EMPTY),
          partial('footer', 'innerHTML', footerFragment(event.data, prompt)),
        ]) + END_FRAME
      );
    case 'error':
      // What was shown so far stays: a partial answer is still worth reading.
      return (
        swapFrame(event.id, [
          partial('status', 'innerHTML', EMPTY),
          partial('footer', 'innerHTML', errorFragment(event.data, streamId)),
        ]) + END_FRAME
      );
  }
}

// Events are immutable and often sent to several viewers of one answer at once: encode each once.
const recent = new RecentFrames<ChatEvent>();

/**
 * A ChatEvent as SSE frames of HTML for the htmx 4 SSE extension (`hx-sse:connect`).
 * Each event becomes one unnamed frame that keeps the event's `id:`, holding `<hx-partial>`s
 * that update the slots of the answer element (see `answer-contract.ts`): `html.append` is
 * appended to the committed part, the live tail is rebuilt by a `<tail-edit>`, `reset` and `complete`
 * replace the committed part. `complete` and `error` are followed by a named `stream-end`
 * frame, on which the extension closes instead of reconnecting. `prompt`, the question asked,
 * lets an answer cut short by a restart offer to ask it again. A message that changes
 * nothing on screen is a bare `id:` line. The renderer's HTML is inserted as is (it is
 * sanitized); every other value is escaped.
 */
export function encodeHtmlSse(event: ChatEvent, streamId: string, prompt?: string): string {
  const cached = recent.get(event, streamId);
  if (cached !== undefined) return cached;
  const frame = encode(event, streamId, prompt);
  recent.set(event, frame, streamId);
  return frame;
}
