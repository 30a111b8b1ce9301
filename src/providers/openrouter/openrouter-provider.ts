import { AppError, UpstreamProtocolError, UpstreamStreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../errors';
import type { Logger } from '../../logger';
import { WholeCharacters } from '../../util/whole-characters';
import type { ChatProvider, ChatRequest, Delta } from '../types';
import { chunkDeltas } from './chunk-deltas';
import { parseChunk } from './chunk-schema';
import { mapUpstreamStatus, relayedSentence, streamErrorRetryable } from './map-http-error';
import { networkError, timeoutError } from './provider-errors';
import { postForStream } from './post-for-stream';
import { readErrorBody } from './read-error-body';
import { requestBody } from './request-body';
import { sseMessages } from './sse-messages';

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
      yield { type: 'progress', stage: 'connecting', message: CONNECTING };
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
      yield { type: 'progress', stage: 'waiting', message: WAITING };

      const content = new WholeCharacters();
      const reasoning = new WholeCharacters();
      let sawToken = false;
      let sawFinish = false;
      let sawUsage = false;
      let sawDone = false;
      let model: string | undefined;
      for await (const item of sseMessages(response.body)) {
        // Comments (": OPENROUTER PROCESSING") keep the connection open but are not the model
        // writing: they never hold off the first-token or idle timeout.
        if (item.kind === 'comment') continue;
        idleTimer?.refresh();
        const data = item.event.data;
        if (data === '[DONE]') {
          sawDone = true;
          break;
        }
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          throw new UpstreamProtocolError('The model provider sent a chunk that is not JSON.', {
            code: 'upstream_bad_response',
          });
        }
        const parsed = parseChunk(json);
        if (!parsed.success) {
          throw new UpstreamProtocolError('The model provider sent a chunk in an unexpected shape.', {
            code: 'upstream_bad_response',
          });
        }
        const chunk = parsed.data;
        if (chunk.error) {
          const said = chunk.error.message ? relayedSentence(chunk.error.message, [o.apiKey]) : '';
          o.logger?.warn('upstream error chunk', { error: chunk.error });
          const upstreamStatus = Number(chunk.error.code);
          throw new UpstreamStreamError(`The model provider failed mid-answer${said ? `: ${said}` : ''}.`, {
            code: 'upstream_stream_error',
            retryable: streamErrorRetryable(chunk.error.code),
            ...(Number.isInteger(upstreamStatus) ? { upstreamStatus } : {}),
          });
        }
        if (chunk.model && model === undefined) {
          model = chunk.model;
          yield { type: 'model', model };
        }
        const choice = chunk.choices?.[0];
        if (!sawToken && (choice?.finish_reason || hasModelOutput(choice?.delta))) {
          // Any delta the model writes counts, reasoning and tool calls included.
          sawToken = true;
          clearTimeout(firstTokenTimer);
          idleTimer = setTimeout(() => trip(timeoutError('idle', o.idleTimeoutMs)), o.idleTimeoutMs);
        }
        for (const delta of chunkDeltas(chunk)) {
          if (delta.type === 'content' || delta.type === 'reasoning') {
            const whole = (delta.type === 'content' ? content : reasoning).push(delta.content);
            if (whole !== '') yield { type: delta.type, content: whole };
            continue;
          }
          if (delta.type === 'finish') {
            if (delta.finishReason === 'error') {
              throw new UpstreamStreamError('The model provider failed mid-answer.', {
                code: 'upstream_stream_error',
                retryable: true,
              });
            }
            sawFinish = true;
          }
          if (delta.type === 'usage') sawUsage = true;
          yield delta;
        }
        // The finish reason and the usage are the last things an answer carries: do not wait
        // on a connection that may never close for a [DONE] that adds nothing.
        if (sawFinish && sawUsage) break;
      }
      for (const [type, carry] of [['reasoning', reasoning], ['content', content]] as const) {
        const rest = carry.flush();
        if (rest !== '') yield { type, content: rest };
      }
      // A finish_reason means the answer itself is whole even if [DONE] was lost.
      if (!sawDone && !sawFinish) {
        throw new UpstreamUnavailableError('The connection to the model provider closed before the answer ended.', {
          code: 'upstream_connection_dropped',
          retryable: true,
        });
      }
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

/** Whether a chunk's delta holds anything the model wrote: text, parts, reasoning or a tool call. */
function hasModelOutput(delta: unknown): boolean {
  if (typeof delta !== 'object' || delta === null) return false;
  const d = delta as Record<string, unknown>;
  const filled = (value: unknown) => (Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value !== '');
  return (
    filled(d.content) ||
    filled(d.reasoning) ||
    filled(d.reasoning_content) ||
    filled(d.reasoning_details) ||
    filled(d.tool_calls)
  );
}
