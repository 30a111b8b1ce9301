import type { CompleteData, ErrorData, StartData } from '../chat/events';
import { plural } from '../util/plural';
import { html, type SafeHtml } from './html';
import { MESSAGES_PATH, regenerateUrl, retryUrl } from './page-paths';

const MOCK_BADGE = html`<span class="badge badge--mock">mock</span>`;

/** Who answers: the model, and when the mock stands in, a badge and the reason why. */
export function sourceFragment(start: StartData): SafeHtml {
  if (start.source !== 'mock') return html`<span class="model">${start.model}</span>`;
  const reason = start.fallback_message ?? start.fallback_reason;
  return html`${MOCK_BADGE}${reason !== undefined && html` <span class="note">${reason}</span>`}`;
}

export const RESPONDING = html`Responding…`;

/** "Thought for 12 s": how long the model reasoned before it answered. */
export function thoughtFor(ms: number): string {
  return ms < 1000 ? 'Thought for less than a second' : `Thought for ${Math.round(ms / 1000)} s`;
}

/**
 * The model's reasoning as a disclosure above the answer: open with "Thinking…" while it
 * streams, closed with how long it took once the answer is done. The reasoning is untrusted
 * text and is escaped, never rendered as markup.
 */
export function thinkingFragment(reasoning: string, thoughtMs?: number): SafeHtml {
  const open = thoughtMs === undefined;
  return html`<details class="thinking"${open && html` open`}><summary>${open ? 'Thinking…' : thoughtFor(thoughtMs)}</summary><div class="thinking__text" data-part="text">${reasoning}</div></details>`;
}

/**
 * The summary once the answer starts: `<thought-for>` (public/thinking.js) closes the
 * disclosure it lands in, so the reasoning folds away without being sent again.
 */
export function thoughtForFragment(ms: number): SafeHtml {
  return html`<thought-for>${thoughtFor(ms)}</thought-for>`;
}

/** Why an answer ended early, in words; nothing for a normal end. */
export const FINISH_NOTES: Readonly<Record<string, string>> = {
  stopped: 'Stopped',
  interrupted: 'Interrupted: the server stopped mid-answer',
  abandoned: 'Abandoned: nobody was watching',
  length: 'Cut off at the length limit',
  content_filter: 'Cut off by the content filter',
  shutdown: 'Cut short: the server is restarting',
};

/**
 * What can be done with a finished answer: copy its markdown (the button carries it), and, on
 * the conversation's last answer only (app.css), regenerate it in place.
 */
export function answerActions(markdown: string, sessionId: string, answerId: string): SafeHtml {
  return html`<div class="answer-actions"><button type="button" class="action action--copy" data-markdown="${markdown}" x-on:click="copyAnswer">Copy</button><button type="button" class="action action--regenerate" hx-post="${regenerateUrl(sessionId, answerId)}" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Regenerate</button></div>`;
}

/**
 * Asks the question again once the server is back. It carries the question itself, since the
 * restarted server no longer holds the answer a retry by id would look up.
 */
function askAgainForm(prompt: string, model: string): SafeHtml {
  return html`<form class="answer-retry" hx-post="${MESSAGES_PATH}" hx-target="#messages" hx-swap="beforeend"><input type="hidden" name="message" value="${prompt}"><input type="hidden" name="model" value="${model}"><button type="submit" class="btn btn--secondary">Retry</button></form>`;
}

/** The stats line under a finished answer, and its actions; an answer cut by a restart offers to ask `prompt` again. */
export function footerFragment(complete: CompleteData, prompt?: string): SafeHtml {
  const askAgain = complete.finish_reason === 'shutdown' && prompt !== undefined;
  const stats = statsLine({
    source: complete.source,
    model: complete.model,
    finishReason: complete.finish_reason,
    tokens: complete.tokens,
    tokensPerSecond: complete.tokens_per_second,
    ttftMs: complete.ttft_ms,
  });
  return html`${stats}${askAgain && askAgainForm(prompt!, complete.model)}${answerActions(complete.full_response, complete.session_id, complete.id)}`;
}

/** What the stats line says; a stored answer may lack some (kept before they were stored). */
export interface StatsLineModel {
  source: string | null;
  model: string | null;
  finishReason: string | null;
  tokens: number | undefined;
  /** Shown when the model spoke (`ttftMs` not null). */
  tokensPerSecond: number | undefined;
  ttftMs: number | null;
}

/** The stats line under an answer, the same live and after a reload. */
export function statsLine(stats: StatsLineModel): SafeHtml {
  const note = stats.finishReason === null ? undefined : FINISH_NOTES[stats.finishReason];
  const spoke = stats.ttftMs !== null;
  return html`<p class="stats">${stats.source === 'mock' && MOCK_BADGE}${
    note !== undefined && html`<span class="badge badge--note">${note}</span>`
  }${stats.tokens !== undefined && html`<span>${plural(stats.tokens, 'token')}</span>`}${
    spoke && stats.tokensPerSecond !== undefined && html`<span>${stats.tokensPerSecond.toFixed(1)} <abbr title="tokens per second">tok/s</abbr></span>`
  }${
    spoke && html`<span>${Math.round(stats.ttftMs!)} ms to first token</span>`
  }${stats.source !== null && html`<span>${stats.source} · ${stats.model ?? ''}</span>`}</p>`;
}

/** A failed answer: what went wrong, and a Retry button that asks again in its place. */
export function errorFragment(error: ErrorData, streamId: string): SafeHtml {
  return html`<div class="answer-error" role="alert"><p>${error.error}</p><button type="button" class="btn btn--secondary" hx-post="${retryUrl(streamId)}" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Retry</button></div>`;
}
