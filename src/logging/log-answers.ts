import type { AnswerListener } from '../chat/answer-listener';
import type { Logger } from '../logger';
import { plural } from '../util/plural';

/**
 * One line per finished answer: who asked, who answered and how it went, the way the design
 * logs "Stream: {tokens} tokens in {duration}s" and watches the cost.
 */
export function logAnswers(logger: Logger): AnswerListener {
  return (stream, plannedSource) => {
    void stream.done.then((final) => {
      const who = {
        id: stream.id,
        session_id: stream.sessionId,
        user: stream.owner ?? 'anonymous',
        model: stream.model,
        source: stream.start?.source ?? plannedSource,
        ...(stream.start?.fallback_reason === undefined ? {} : { fallback_reason: stream.start.fallback_reason }),
      };
      if (final.type === 'error') {
        logger.warn('answer failed', {
          ...who,
          code: final.data.code,
          error: final.data.error,
          duration: Math.round(performance.now() - stream.createdAt) / 1000,
        });
        return;
      }
      if (final.type !== 'complete') return;
      const d = final.data;
      logger.info(`answer: ${plural(d.tokens, 'token')} in ${d.duration}s`, {
        ...who,
        finish_reason: d.finish_reason,
        tokens: d.tokens,
        prompt_tokens: d.usage?.prompt_tokens ?? null,
        ttft_ms: d.ttft_ms,
        duration: d.duration,
        tokens_per_second: d.tokens_per_second,
        ...(typeof d.usage?.cost === 'number' ? { cost: d.usage.cost } : {}),
      });
    });
  };
}
