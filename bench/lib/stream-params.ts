/**
 * What one paced stream looks like. The load generator puts these in the user message
 * (`bench: deltas=64 gap=20`), so they reach the fake upstream unchanged through the server,
 * which forwards the message as it is; direct requests carry the same body.
 */
export interface StreamParams {
  /** Content deltas before the finish chunk. */
  deltas: number;
  /** Milliseconds between two deltas. */
  gapMs: number;
  /** Milliseconds from the response headers to the first delta. */
  firstMs: number;
  /** After this many deltas, pause for `pauseMs` (0: never). Holds idle streams open. */
  pauseAfter: number;
  pauseMs: number;
  /**
   * When not 0, the fake upstream records when it sent each delta of this stream under this
   * tag, so the harness can measure each frame's one-way latency through either path.
   */
  tag: number;
}

export const DEFAULT_PARAMS: StreamParams = Object.freeze({ deltas: 64, gapMs: 20, firstMs: 0, pauseAfter: 0, pauseMs: 0, tag: 0 });

const LIMITS: Record<keyof StreamParams, [number, number]> = {
  deltas: [1, 100_000],
  gapMs: [0, 60_000],
  firstMs: [0, 60_000],
  pauseAfter: [0, 100_000],
  pauseMs: [0, 120_000],
  tag: [0, Number.MAX_SAFE_INTEGER],
};

const PREFIX = 'bench:';

/** The user message that asks the fake upstream for this stream. */
export function paramsMessage(params: StreamParams): string {
  const fields = (Object.keys(LIMITS) as Array<keyof StreamParams>).map((key) => `${key}=${params[key]}`);
  return `${PREFIX} ${fields.join(' ')}`;
}

/**
 * Reads parameters from a user message and/or a query string, over `defaults`. Unknown keys
 * and out-of-range values are ignored (clamped), so a stray request cannot make the fake hang.
 */
export function parseParams(message: string | undefined, query: URLSearchParams, defaults: StreamParams): StreamParams {
  const params: StreamParams = { ...defaults };
  const apply = (key: string, raw: string) => {
    if (!(key in LIMITS)) return;
    const value = Number(raw);
    if (!Number.isFinite(value)) return;
    const [min, max] = LIMITS[key as keyof StreamParams];
    params[key as keyof StreamParams] = Math.min(max, Math.max(min, Math.round(value)));
  };
  if (message?.startsWith(PREFIX)) {
    for (const pair of message.slice(PREFIX.length).trim().split(/\s+/)) {
      const [key, raw] = pair.split('=');
      if (key && raw !== undefined) apply(key, raw);
    }
  }
  for (const [key, raw] of query) apply(key, raw);
  return params;
}
