import { AppError, UpstreamProtocolError, UpstreamTimeoutError } from '../../errors';
import type { Logger } from '../../logger';
import type { ChatProvider, ChatRequest, Delta } from '../types';
import { CompletionReader } from './completion-reader';
import { mapUpstreamStatus } from './map-http-error';
import { networkError, timeoutError } from './provider-errors';
import { postForStream } from './post-for-stream';
import { readErrorBody } from './read-error-body';
import { requestBody } from './request-body';
import { SseReader } from './sse-reader';

export interface OpenRouterOptions {
  apiKey: string;
  /** e.g. `https://openrouter.ai/api/v1` or `http://localhost:11434/v1` (Ollama). */
  baseUrl: string;
  /** Sent as `HTTP-Referer` and `X-Title`, which OpenRouter uses for its app rankings. */
  appUrl: string;
  appTitle: string;
  /** Until the upstream answers with response headers. */
  connectTimeoutMs: number;
  /** From the request until the model's first delta, reasoning or content. */
  firstTokenTimeoutMs: number;
  /** Between two data lines once the model writes; keep-alive comments do not count. */
  idleTimeoutMs: number;
  /** From the request to the end of the answer, however busy the stream. Defaults to 10 minutes. */
  maxDurationMs?: number;
  /** Sent as OpenRouter's `models`, after the requested model. Defaults to none. */
  fallbackModels?: readonly string[];
  /** Where what we do not relay of an upstream error goes. Defaults to nowhere. */
  logger?: Logger;
}

const WAITING = 'Waiting for the model…';
const CONNECTING = 'Connecting to the model…';

/**
 * Streams chat completions from OpenRouter or any OpenAI-compatible server. Every quirk of
 * the wire format and every mapping of its failures to our error hierarchy lives here; the
 * dialects of the chunks themselves are read by `chunk-deltas.ts`.
 */
export class OpenRouterProvider implements ChatProvider {
  readonly name = 'openrouter' as const;

  constructor(private readonly options: OpenRouterOptions) {}

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<Delta> {
    for await (const batch of this.reads(request, signal)) yield* batch;
  }

  /** The deltas of each network read together (each progress stage on its own); `stream` is them one by one. */
  async *reads(request: ChatRequest, signal: AbortSignal): AsyncGenerator<readonly Delta[]> {
    const o = this.options;
    const controller = new AbortController();
    let timedOut: UpstreamTimeoutError | undefined;
    const trip = (error: UpstreamTimeoutError) => {
      timedOut ??= error;
      controller.abort(error);
    };
    const onCallerAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onCallerAbort();
    signal.addEventListener('abort', onCallerAbort, { once: true });

    const maxDurationMs = o.maxDurationMs ?? 600_000;
    const connectTimer = setTimeout(() => trip(timeoutError('connect', o.connectTimeoutMs)), o.connectTimeoutMs);
    const firstTokenTimer = setTimeout(
      () => trip(timeoutError('first_token', o.firstTokenTimeoutMs)),
      o.firstTokenTimeoutMs,
    );
    const maxDurationTimer = setTimeout(() => trip(timeoutError('max_duration', maxDurationMs)), maxDurationMs);
    let idleTimer: NodeJS.Timeout | undefined;
    let afterHeaders = false;

    try {
      yield [{ type: 'progress', stage: 'connecting', message: CONNECTING }];
      const response = await postForStream(
        `${o.baseUrl}/chat/completions`,
        {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          ...(o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {}),
          'HTTP-Referer': o.appUrl,
          'X-Title': o.appTitle,
        },
        JSON.stringify(requestBody(request, o.fallbackModels ?? [])),
        controller.signal,
      );
      clearTimeout(connectTimer);
      afterHeaders = true;

      if (response.status < 200 || response.status > 299) {
        const body = await readErrorBody(response.body);
        o.logger?.warn('upstream error response', { status: response.status, body });
        const retryAfter = response.headers['retry-after'];
        throw mapUpstreamStatus(response.status, body, typeof retryAfter === 'string' ? retryAfter : null, [o.apiKey]);
      }
      const contentType = response.headers['content-type'] ?? '';
      if (!contentType.includes('text/event-stream')) {
        throw new UpstreamProtocolError(
          `The model provider answered with ${contentType || 'no content type'} instead of an event stream. Check OPENROUTER_BASE_URL points at an OpenAI-compatible API.`,
          { code: 'upstream_bad_response' },
        );
      }
      yield [{ type: 'progress', stage: 'waiting', message: WAITING }];

      // One await per network read: its items become deltas synchronously, yielded together.
      const sse = new SseReader();
      const completion = new CompletionReader([o.apiKey], o.logger);
      let out: Delta[] = [];
      let answerEnded = false;
      for await (const bytes of response.body) {
        completion.read(sse.feed(bytes), out);
        if (completion.sawData) idleTimer?.refresh();
        if (completion.sawToken && idleTimer === undefined) {
          clearTimeout(firstTokenTimer);
          idleTimer = setTimeout(() => trip(timeoutError('idle', o.idleTimeoutMs)), o.idleTimeoutMs);
        }
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (completion.failure) throw completion.failure;
        if (completion.ended) {
          answerEnded = true;
          break;
        }
      }
      if (!answerEnded) completion.read(sse.end(), out);
      completion.finish(out);
      if (out.length > 0) yield out;
      if (completion.failure) throw completion.failure;
    } catch (error) {
      if (timedOut) throw timedOut;
      if (signal.aborted || error instanceof AppError) throw error;
      throw networkError(error, o.baseUrl, afterHeaders);
    } finally {
      clearTimeout(connectTimer);
      clearTimeout(firstTokenTimer);
      clearTimeout(maxDurationTimer);
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onCallerAbort);
      // Ended, failed or left by the consumer: release the upstream socket now, so nothing
      // keeps reading (and paying for) what nobody will see, nor waits on a socket left open.
      controller.abort();
    }
  }
}
