import type { ChatStream } from '../chat/chat-stream';
import type { ChatEvent } from '../chat/events';
import type { SideSummary } from './compare-events';

/** One side's outcome from its final event; `text` is what it wrote, for a side that failed. */
export function summariseSide(stream: ChatStream, final: ChatEvent | undefined, text: string, blind: boolean, responseTimeMs: number): SideSummary {
  const start = stream.start;
  const summary: SideSummary = {
    status: final?.type === 'complete' ? 'completed' : 'error',
    model_name: blind ? null : stream.model,
    source: start?.source ?? null,
    finish_reason: null,
    tokens: 0,
    response_time_ms: responseTimeMs,
    tokens_per_second: 0,
    ttft_ms: null,
    usage: null,
    full_response: text,
    html: '',
  };
  if (start?.fallback_reason !== undefined) summary.fallback_reason = start.fallback_reason;
  if (final?.type === 'complete') {
    const d = final.data;
    Object.assign(summary, {
      finish_reason: d.finish_reason,
      tokens: d.tokens,
      tokens_per_second: d.tokens_per_second,
      ttft_ms: d.ttft_ms,
      usage: d.usage,
      full_response: d.full_response,
      html: d.html,
    });
  } else if (final?.type === 'error') {
    summary.error = final.data.error;
    summary.code = final.data.code;
  }
  return summary;
}
