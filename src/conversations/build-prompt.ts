import type { ChatMessage } from '../providers/types';
import type { MessageRecord } from '../stores/conversation-store';
import { estimateTokens } from './estimate-tokens';

/** Ends of an answer that make it no part of what the model is told was said. */
const NOT_HISTORY = new Set(['error', 'interrupted']);

export interface PromptInput {
  systemPrompt: string;
  /** The session's earlier messages, oldest first. */
  history: readonly MessageRecord[];
  message: string;
  maxTokens: number;
}

/** A user message and the answer it got. */
type Turn = [ChatMessage, ChatMessage];

/**
 * Earlier turns as the model should see them: each user message with its answer, leaving out
 * turns whose answer failed, was cut by a crash, is still streaming or is empty (so the model
 * never sees two questions in a row or an answer to nothing).
 */
export function historyTurns(history: readonly MessageRecord[]): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i < history.length; i++) {
    const user = history[i]!;
    const answer = history[i + 1];
    if (user.role !== 'user' || answer?.role !== 'assistant') continue;
    i++;
    if (answer.finishReason === null || NOT_HISTORY.has(answer.finishReason) || answer.content === '') continue;
    turns.push([
      { role: 'user', content: user.content },
      { role: 'assistant', content: answer.content },
    ]);
  }
  return turns;
}

/**
 * The messages of one upstream request: the system prompt, then as many of the latest earlier
 * turns as fit in `maxTokens` (oldest first), then the new message. Whole oldest turns are
 * dropped first; the system prompt and the new message are always sent.
 */
export function buildPrompt(input: PromptInput): ChatMessage[] {
  const head: ChatMessage[] = input.systemPrompt ? [{ role: 'system', content: input.systemPrompt }] : [];
  const last: ChatMessage = { role: 'user', content: input.message };
  let budget = input.maxTokens - [...head, last].reduce((sum, m) => sum + estimateTokens(m.content), 0);
  const kept: Turn[] = [];
  const turns = historyTurns(input.history);
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    const cost = estimateTokens(turn[0].content) + estimateTokens(turn[1].content);
    if (cost > budget) break;
    budget -= cost;
    kept.unshift(turn);
  }
  return [...head, ...kept.flat(), last];
}
