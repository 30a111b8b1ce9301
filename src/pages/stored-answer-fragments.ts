import type { ConversationMessage } from '../conversations/types';
import { answerActions, statsLine, thoughtFor } from './answer-fragments';
import { html, type SafeHtml } from './html';
import { regenerateUrl } from './page-paths';

const MOCK_BADGE = html`<span class="badge badge--mock">mock</span>`;

/**
 * A stored answer's reasoning, folded as a finished live answer leaves it, with how long it
 * took ("Thought" alone for answers stored before that was kept). Untrusted text, escaped.
 * Nothing when the model showed none.
 */
export function storedThinkingFragment(message: ConversationMessage): SafeHtml {
  if (!message.reasoning) return html``;
  const reasoningMs = message.stats?.reasoningMs;
  const summary = reasoningMs === undefined || reasoningMs === null ? 'Thought' : thoughtFor(reasoningMs);
  return html`<details class="thinking"><summary>${summary}</summary><div class="thinking__text" data-part="text">${message.reasoning}</div></details>`;
}

/** Who answered a stored answer, as the live header shows it. */
export function storedSourceFragment(message: ConversationMessage): SafeHtml {
  if (message.source === 'mock') return MOCK_BADGE;
  return message.model ? html`<span class="model">${message.model}</span>` : html``;
}

/**
 * The footer of a stored answer: for a failed one its error and a Retry that answers again in
 * its place; otherwise the live footer's stats line, from the stats stored with it (answers
 * stored before those were kept fall back to the usage's token count), and its actions.
 */
export function storedFooterFragment(message: ConversationMessage, sessionId: string): SafeHtml {
  if (message.finishReason === 'error') {
    const reason = message.error?.error ?? 'This answer failed.';
    return html`<div class="answer-error" role="alert"><p>${reason}</p><button type="button" class="btn btn--secondary" hx-post="${regenerateUrl(sessionId, message.id)}" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Retry</button></div>`;
  }
  const stats = statsLine({
    source: message.source,
    model: message.model,
    finishReason: message.finishReason,
    tokens: message.stats?.tokens ?? message.usage?.completion_tokens,
    tokensPerSecond: message.stats?.tokensPerSecond,
    ttftMs: message.ttftMs,
  });
  return html`${stats}${answerActions(message.content, sessionId, message.id)}`;
}
