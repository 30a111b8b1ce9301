import { AppError, UpstreamProtocolError, UpstreamStreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../errors';
import type { ChatProvider, ChatRequest, Delta } from '../types';
import { parseChunk } from './chunk-schema';
import { mapUpstreamStatus } from './map-http-error';
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
  /** From the request until the first content token. */
  firstTokenTimeoutMs: number;
  /** Between two reads once tokens flow; keep-alive comments count as activity. */
  idleTimeoutMs: number;
}

function timeoutError(which: 'connect' | 'first_token' | 'idle', ms: number): UpstreamTimeoutError {
  const what = {
    connect: 'did not answer',
    first_token: 'sent no token',
    idle: 'stopped sending tokens',
  }[which];
  return new UpstreamTimeoutError(`The model provider ${what} within ${ms} ms. Try again.`, {
    status: 504,
    code: `upstream_${which}_timeout`,
    retryable: true,
  });
}

function networkError(error: unknown, baseUrl: string, afterHeaders: boolean): UpstreamUnavailableError {
  const cause = (error as { cause?: { code?: string } }).cause;
  const reason = cause?.code ?? (error instanceof Error ? error.message : String(error));
  return afterHeaders
    ? new UpstreamUnavailableError(`The connection to the model provider dropped mid-answer (${reason}).`, {
        code: 'upstream_connection_dropped',
        retryable: true,
        cause: error,
      })
    : new UpstreamUnavailableError(
        `Could not reach the model provider at ${baseUrl} (${reason}). Check OPENROUTER_BASE_URL and the network.`,
        { code: 'upstream_unreachable', retryable: true, cause: error },
      );
}

/**
 * Streams chat completions from OpenRouter or any OpenAI-compatible server. Every quirk of
 * the wire format and every mapping of its failures to our error hierarchy lives here.
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

    const connectTimer = setTimeout(() => trip(timeoutError('connect', o.connectTimeoutMs)), o.connectTimeoutMs);
    const firstTokenTimer = setTimeout(
      () => trip(timeoutError('first_token', o.firstTokenTimeoutMs)),
      o.firstTokenTimeoutMs,
    );
    let idleTimer: NodeJS.Timeout | undefined;
    let afterHeaders = false;
    let finished = false;

    try {
      const response = await fetch(`${o.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          ...(o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {}),
          'HTTP-Referer': o.appUrl,
          'X-Title': o.appTitle,
        },
        body: JSON.stringify({
          model: request.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
        signal: controller.signal,
      });
      clearTimeout(connectTimer);
      afterHeaders = true;

      if (!response.ok) {
        const body = await response.text().catch(() => '');
        throw mapUpstreamStatus(response.status, body, response.headers.get('retry-after'));
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.body || !contentType.includes('text/event-stream')) {
        throw new UpstreamProtocolError(
          `The model provider answered with ${contentType || 'no content type'} instead of an event stream. Check OPENROUTER_BASE_URL points at an OpenAI-compatible API.`,
          { code: 'upstream_bad_response' },
        );
      }

      let sawToken = false;
      let sawFinish = false;
      let sawDone = false;
      const body = response.body as unknown as AsyncIterable<Uint8Array>;
      for await (const item of sseMessages(body, () => idleTimer?.refresh())) {
        // Comments (": OPENROUTER PROCESSING") only keep the connection alive; anything after
        // [DONE] is ignored but still read, so the connection can go back to the pool.
        if (item.kind === 'comment' || sawDone) continue;
        const data = item.event.data;
        if (data === '[DONE]') {
          sawDone = true;
          continue;
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
          const upstreamCode = Number(chunk.error.code);
          throw new UpstreamStreamError(
            `The model provider failed mid-answer${chunk.error.message ? `: ${chunk.error.message}` : ''}.`,
            {
              code: 'upstream_stream_error',
              retryable: upstreamCode === 429 || upstreamCode >= 500 || Number.isNaN(upstreamCode),
              ...(Number.isNaN(upstreamCode) ? {} : { upstreamStatus: upstreamCode }),
            },
          );
        }
        const choice = chunk.choices?.[0];
        const content = choice?.delta?.content;
        if (content) {
          if (!sawToken) {
            sawToken = true;
            clearTimeout(firstTokenTimer);
            idleTimer = setTimeout(() => trip(timeoutError('idle', o.idleTimeoutMs)), o.idleTimeoutMs);
          } else {
            idleTimer?.refresh();
          }
          yield { type: 'content', content };
        }
        if (choice?.finish_reason) {
          if (choice.finish_reason === 'error') {
            throw new UpstreamStreamError('The model provider failed mid-answer.', {
              code: 'upstream_stream_error',
              retryable: true,
            });
          }
          sawFinish = true;
          yield { type: 'finish', finishReason: choice.finish_reason };
        }
        if (chunk.usage) yield { type: 'usage', usage: chunk.usage };
      }
      // A finish_reason means the answer itself is whole even if [DONE] was lost.
      if (!sawDone && !sawFinish) {
        throw new UpstreamUnavailableError('The connection to the model provider closed before the answer ended.', {
          code: 'upstream_connection_dropped',
          retryable: true,
        });
      }
      finished = true;
    } catch (error) {
      if (timedOut) throw timedOut;
      if (signal.aborted || error instanceof AppError) throw error;
      throw networkError(error, o.baseUrl, afterHeaders);
    } finally {
      clearTimeout(connectTimer);
      clearTimeout(firstTokenTimer);
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onCallerAbort);
      // The consumer stopped early or something failed: release the upstream socket now, so
      // nothing keeps reading (and paying for) an answer nobody will see.
      if (!finished) controller.abort();
    }
  }
}
