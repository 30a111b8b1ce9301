import type { ChatStream } from '../chat/chat-stream';
import type { ChatEvent } from '../chat/events';
import type { Logger } from '../logger';
import type { ConversationStore, FinishedAnswer } from '../stores/conversation-store';

export interface RecordAnswerOptions {
  store: ConversationStore;
  /** Save the text so far this often while the answer streams, in ms. */
  saveIntervalMs: number;
  now: () => string;
  logger?: Logger | undefined;
}

/** What the store keeps of an answer's final event. */
export function finishedAnswer(stream: ChatStream, final: ChatEvent): FinishedAnswer {
  if (final.type === 'complete') {
    const d = final.data as typeof final.data & { reasoning?: string | null };
    return {
      content: d.full_response,
      html: d.html,
      reasoning: d.reasoning ?? null,
      model: d.model,
      source: d.source,
      finishReason: d.finish_reason,
      usage: d.usage,
      ttftMs: d.ttft_ms,
      error: null,
      stats: { tokens: d.tokens, tokensPerSecond: d.tokens_per_second, reasoningMs: d.reasoning_ms ?? null },
      sources: d.sources ?? null,
    };
  }
  const error = final.type === 'error' ? final.data : { error: 'The answer ended without a result.', code: 'internal_error', retryable: true };
  return {
    content: stream.content,
    html: null,
    reasoning: null,
    model: stream.model,
    source: stream.start?.source ?? null,
    finishReason: 'error',
    usage: null,
    ttftMs: null,
    error: { error: error.error, code: error.code, retryable: error.retryable },
    stats: null,
    // What it said before failing may cite them already.
    sources: stream.groundedOn ? [...stream.groundedOn] : null,
  };
}

/**
 * Keeps the store's copy of an answer up to date from outside its ChatStream: the text so far
 * every `saveIntervalMs` while it streams (so a killed process loses at most that much), then
 * how it ended. Resolves once the final write is done; never rejects (a failed write is logged).
 */
export async function recordAnswer(stream: ChatStream, options: RecordAnswerOptions): Promise<void> {
  const { store, logger } = options;
  let saved = stream.content;
  let saving: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const text = stream.content;
    if (text === saved) return;
    saved = text;
    saving = saving
      .then(() => store.saveProgress(stream.id, text))
      .catch((error: unknown) => logger?.error('could not save an answer in progress', { id: stream.id, error }));
  }, options.saveIntervalMs);
  timer.unref();
  const final = await stream.done;
  clearInterval(timer);
  await saving;
  try {
    await store.finishAnswer(stream.id, finishedAnswer(stream, final), options.now());
  } catch (error) {
    logger?.error('could not save an answer', { id: stream.id, error });
  }
}
