import type { Usage } from '../providers/types';
import type { CompleteData, ProgressData } from './events';
import type { ProgressDelta } from '../providers/types';

export interface AnswerTimes {
  createdAt: number;
  /** When the first content delta came, if one did. */
  firstTokenAt: number | undefined;
  end: number;
  usage: Usage | null;
  /** Content deltas, the token count when the upstream reports none. */
  deltas: number;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The numbers of the stats line: tokens, seconds, tokens per second from the first token, and the time to it. */
export function answerStats(t: AnswerTimes): Pick<CompleteData, 'tokens' | 'duration' | 'tokens_per_second' | 'ttft_ms'> {
  const tokens = t.usage?.completion_tokens || t.deltas;
  const generating = t.firstTokenAt === undefined ? 0 : (t.end - t.firstTokenAt) / 1000;
  return {
    tokens,
    duration: round((t.end - t.createdAt) / 1000, 3),
    tokens_per_second: generating > 0 ? round(tokens / generating, 1) : 0,
    ttft_ms: t.firstTokenAt === undefined ? null : round(t.firstTokenAt - t.createdAt, 1),
  };
}

/** `model` is who answered; `requested_model` joins it only when another model answered than the one asked for. */
export function answerModel(requested: string, answered: string | undefined): Pick<CompleteData, 'model' | 'requested_model'> {
  return answered === undefined || answered === requested ? { model: requested } : { model: answered, requested_model: requested };
}

/** A progress delta as the event's data, with the time since the request. */
export function progressData(progress: ProgressDelta, elapsedMs: number, extra: Pick<ProgressData, 'reasoning_ms'> = {}): ProgressData {
  const data: ProgressData = { stage: progress.stage, message: progress.message, elapsed_ms: Math.round(elapsedMs) };
  if (progress.attempt !== undefined) data.attempt = progress.attempt;
  if (progress.delayMs !== undefined) data.delay_ms = progress.delayMs;
  if (progress.reason !== undefined) data.reason = progress.reason;
  if (progress.documents !== undefined) data.documents = progress.documents;
  if (progress.passages !== undefined) data.passages = progress.passages;
  if (progress.rewritten !== undefined) data.rewritten = progress.rewritten;
  return Object.assign(data, extra);
}
