import type { CompareEvent } from '../compare/compare-events';
import { sseFrame } from '../sse/sse-frame';

/**
 * A compare event as the A/B stream of docs/protocol.md. Each side's deltas and its end are
 * unnamed `data:` lines in the design document's shape (`model` is the side, "A" or "B");
 * the compare's start, each side's source and the final summaries are named events.
 */
export function encodeCompareSse(item: CompareEvent): string {
  if (item.type === 'start') return sseFrame({ event: 'start', data: JSON.stringify(item.data) });
  if (item.type === 'complete') return sseFrame({ event: 'complete', data: JSON.stringify(item.data) });
  const { side, event, blind } = item;
  switch (event.type) {
    case 'start': {
      const { source, fallback_reason, fallback_message } = event.data;
      const data = { model: side, model_name: blind ? null : event.data.model, source, fallback_reason, fallback_message };
      return sseFrame({ event: 'side_start', data: JSON.stringify(data) });
    }
    // A side's stages and thinking, for clients that show them; the data lines stay the design's.
    case 'progress':
      return sseFrame({ event: 'side_progress', data: JSON.stringify({ model: side, ...event.data }) });
    // Both sides are given the same passages (one search); each column lists them under its answer.
    case 'sources':
      return sseFrame({ event: 'side_sources', data: JSON.stringify({ model: side, ...event.data }) });
    case 'reasoning':
      return sseFrame({ event: 'side_reasoning', data: JSON.stringify({ model: side, ...event.data }) });
    case 'message': {
      const { token, content, count, html, reset } = event.data;
      return sseFrame({ data: JSON.stringify({ model: side, token, done: false, content, count, html, reset }) });
    }
    case 'complete': {
      const d = event.data;
      const data = {
        model: side,
        token: '',
        done: true,
        response_time_ms: item.end?.responseTimeMs ?? Math.round(d.duration * 1000),
        content: '',
        count: item.end?.count ?? 0,
        html: { append: '', final: d.html },
        model_name: blind ? null : d.model,
        ...(d.requested_model !== undefined && !blind ? { requested_model: d.requested_model } : {}),
        finish_reason: d.finish_reason,
        tokens: d.tokens,
        tokens_per_second: d.tokens_per_second,
        ttft_ms: d.ttft_ms,
        usage: d.usage,
        reasoning: d.reasoning,
        reasoning_ms: d.reasoning_ms,
      };
      return sseFrame({ data: JSON.stringify(data) });
    }
    case 'error': {
      const { error, code, retryable } = event.data;
      return sseFrame({
        data: JSON.stringify({ model: side, done: true, response_time_ms: item.end?.responseTimeMs, error, code, retryable }),
      });
    }
  }
}
