import type { ConversationMessage } from '../conversations/types';
import { FINISH_NOTES, answerActions } from './answer-fragments';
import { html, type SafeHtml } from './html';
import { regenerateUrl } from './page-paths';

const MOCK_BADGE = html`<span class="badge badge--mock">mock</span>`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Who answered a stored answer, as the live header shows it. */
export function storedSourceFragment(message: ConversationMessage): SafeHtml {
  if (message.source === 'mock') return MOCK_BADGE;
  return message.model ? html`<span class="model">${message.model}</span>` : html``;
}

/**
 * The footer of a stored answer: for a failed one its error and a Retry that answers again in
 * its place; otherwise the stats the store keeps (tokens, time to first token, who answered;
 * not the speed, which is not stored) and the answer's actions.
 */
export function storedFooterFragment(message: ConversationMessage, sessionId: string): SafeHtml {
  if (message.finishReason === 'error') {
    const reason = message.error?.error ?? 'This answer failed.';
    return html`<div class="answer-error" role="alert"><p>${reason}</p><button type="button" class="btn btn--secondary" hx-post="${regenerateUrl(sessionId)}" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Retry</button></div>`;
  }
  const note = message.finishReason === null ? undefined : FINISH_NOTES[message.finishReason];
  const tokens = message.usage?.completion_tokens;
  return html`<p class="stats">${message.source === 'mock' && MOCK_BADGE}${
    note !== undefined && html`<span class="badge badge--note">${note}</span>`
  }${tokens !== undefined && html`<span>${plural(tokens, 'token')}</span>`}${
    message.ttftMs !== null && html`<span>${Math.round(message.ttftMs)} ms to first token</span>`
  }${message.source !== null && html`<span>${message.source} · ${message.model ?? ''}</span>`}</p>${answerActions(
    message.content,
    sessionId,
  )}`;
}
