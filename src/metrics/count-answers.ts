import type { AnswerListener } from '../chat/answer-listener';
import { UpstreamError } from '../errors';
import type { AppMetrics } from './app-metrics';

// The mock answering for want of a key is configuration, not a failure of the upstream.
const NOT_A_FAILURE = 'no_api_key';

/** Counts an answer when it starts and, when it ends, its outcome, timings, tokens and cost. */
export function countAnswers(metrics: AppMetrics): AnswerListener {
  return (stream, plannedSource) => {
    metrics.answersStarted.inc({ source: plannedSource, model: stream.model });
    void stream.done.then((final) => {
      const source = stream.start?.source ?? plannedSource;
      const labels = { source, model: stream.model };
      const fallbackReason = stream.start?.fallback_reason;
      if (fallbackReason !== undefined && fallbackReason !== NOT_A_FAILURE) {
        metrics.fallbacks.inc({ code: fallbackReason });
        metrics.upstreamErrors.inc({ code: fallbackReason });
      }
      if (final.type === 'error') {
        metrics.answersEnded.inc({ ...labels, finish_reason: 'error' });
        metrics.answerDuration.observe(labels, (performance.now() - stream.createdAt) / 1000);
        if (final.cause instanceof UpstreamError) metrics.upstreamErrors.inc({ code: final.cause.code });
        return;
      }
      if (final.type !== 'complete') return;
      const data = final.data;
      metrics.answersEnded.inc({ ...labels, finish_reason: data.finish_reason });
      metrics.answerDuration.observe(labels, data.duration);
      if (data.ttft_ms !== null) metrics.timeToFirstToken.observe(labels, data.ttft_ms / 1000);
      metrics.tokens.inc({ direction: 'in', ...labels }, data.usage?.prompt_tokens ?? 0);
      metrics.tokens.inc({ direction: 'out', ...labels }, data.usage?.completion_tokens ?? data.tokens);
      if (typeof data.usage?.cost === 'number') metrics.upstreamCost.inc({ model: stream.model }, data.usage.cost);
    });
  };
}
