import { request, type Agent } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { answerDeltas } from './answer-text';
import { paramsMessage, type StreamParams } from './stream-params';

/**
 * Where a stream is opened: through the server (`POST /api/chat/stream`), through the bare
 * reference proxy (the same request and events, bench/reference-proxy.ts) or straight at the
 * fake upstream.
 */
export type StreamPath = 'server' | 'reference' | 'direct';

export interface StreamTarget {
  path: StreamPath;
  port: number;
}

export interface StreamResult {
  path: StreamPath;
  /** The stream's tag (0: untagged). */
  tag: number;
  /** When the request started (`performance.now()`). */
  startedAt: number;
  /** HTTP 200, every delta in order, and a proper end (`complete` / `[DONE]`). */
  ok: boolean;
  /** Why it is not ok: `http_503`, an `error` event's code, a socket error, `timeout`, `lost_frames`… */
  error?: string;
  /** A refusal's `Retry-After`, in seconds, when it had one. */
  retryAfterS?: number;
  /** The stream ended properly but deltas were missing or garbled. */
  lost: boolean;
  /** Request start → first content frame, ms. */
  ttftMs: number | undefined;
  /** Gaps between consecutive content frames, ms, in order. */
  gaps: number[];
  /** Content frames received. */
  tokens: number;
  /** Longest silence: the first-frame wait (less the scripted first delay) or any gap, ms. */
  maxSilenceMs: number;
  /** Which content frame ended the longest silence (0: the first). */
  maxSilenceAt: number;
  /** For tagged streams: when each content frame arrived, ms since the epoch (sub-ms). */
  arrivals: number[] | undefined;
}

export interface StreamOptions {
  agent: Agent;
  /** Give up (and count an error) after this long. */
  timeoutMs: number;
  /** Called once, when the first content frame arrives. */
  onFirstToken?: () => void;
  /** Aborting closes the connection; the result then has error `aborted`. */
  signal?: AbortSignal;
}

const expectedTexts = new Map<number, string>();

function expectedText(deltas: number): string {
  let text = expectedTexts.get(deltas);
  if (text === undefined) {
    text = answerDeltas(deltas).join('');
    expectedTexts.set(deltas, text);
  }
  return text;
}

function requestBody(target: StreamTarget, params: StreamParams): string {
  const message = paramsMessage(params);
  if (target.path !== 'direct') return JSON.stringify({ message });
  return JSON.stringify({
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: message }],
    stream: true,
    stream_options: { include_usage: true },
  });
}

/**
 * Opens one stream and reads it to the end. Every frame is stamped with `performance.now()`
 * at the socket read that delivered it, so the gaps are what a client on this machine sees.
 * Never rejects: failures are in the result.
 */
export function runStream(target: StreamTarget, params: StreamParams, options: StreamOptions): Promise<StreamResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const result: StreamResult = {
      path: target.path,
      tag: params.tag,
      startedAt: started,
      ok: false,
      lost: false,
      ttftMs: undefined,
      gaps: [],
      tokens: 0,
      maxSilenceMs: 0,
      maxSilenceAt: 0,
      arrivals: params.tag !== 0 ? [] : undefined,
    };
    let text = '';
    let lastTokenAt = 0;
    let readAt = started;
    let ended = false;
    let settled = false;

    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined && !ended) error = 'no_end';
      if (error === undefined && (result.tokens !== params.deltas || text !== expectedText(params.deltas))) {
        result.lost = true;
        error = 'lost_frames';
      }
      if (error === undefined) result.ok = true;
      else result.error = error;
      resolve(result);
    };

    const onToken = (content: string) => {
      if (result.tokens === 0) {
        result.ttftMs = readAt - started;
        result.maxSilenceMs = Math.max(0, result.ttftMs - params.firstMs);
        options.onFirstToken?.();
      } else {
        const gap = readAt - lastTokenAt;
        result.gaps.push(gap);
        if (gap > result.maxSilenceMs) {
          result.maxSilenceMs = gap;
          result.maxSilenceAt = result.tokens;
        }
      }
      lastTokenAt = readAt;
      result.arrivals?.push(performance.timeOrigin + readAt);
      result.tokens++;
      text += content;
    };

    const onServerEvent = (event: EventSourceMessage) => {
      if (event.event === 'message') {
        const data = JSON.parse(event.data) as { content?: string };
        if (data.content) onToken(data.content);
      } else if (event.event === 'start') {
        const data = JSON.parse(event.data) as { source?: string; fallback_reason?: string };
        // The mock taking over means the fake upstream failed: never count that as a pass.
        if (data.source !== 'openrouter') fail(`fallback_${data.fallback_reason ?? 'mock'}`);
      } else if (event.event === 'complete') {
        ended = true;
      } else if (event.event === 'error') {
        const data = JSON.parse(event.data) as { code?: string };
        fail(`event_${data.code ?? 'error'}`);
      }
    };

    const onDirectEvent = (event: EventSourceMessage) => {
      if (event.data === '[DONE]') {
        ended = true;
        return;
      }
      const chunk = JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string | null } }> };
      const content = chunk.choices?.[0]?.delta?.content;
      if (content) onToken(content);
    };

    const parser = createParser({ onEvent: target.path === 'direct' ? onDirectEvent : onServerEvent });
    const body = requestBody(target, params);
    const req = request({
      agent: options.agent,
      host: '127.0.0.1',
      port: target.port,
      method: 'POST',
      path: target.path === 'direct' ? '/v1/chat/completions' : '/api/chat/stream',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        'Content-Length': Buffer.byteLength(body),
      },
    });

    const fail = (error: string) => {
      finish(error);
      req.destroy();
    };
    const onAbort = () => fail('aborted');
    const timer = setTimeout(() => fail('timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'socket_error'));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        const retryAfter = Number(res.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter >= 0) result.retryAfterS = retryAfter;
        res.resume();
        res.on('end', () => finish(`http_${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        readAt = performance.now();
        try {
          parser.feed(chunk);
        } catch {
          fail('bad_frame');
        }
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish('connection_dropped'));
      res.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'socket_error'));
    });
    req.end(body);
  });
}
