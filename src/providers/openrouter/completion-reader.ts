import { UpstreamProtocolError, UpstreamStreamError, UpstreamUnavailableError } from '../../errors';
import type { Logger } from '../../logger';
import { WholeCharacters } from '../../util/whole-characters';
import type { Delta } from '../types';
import { chunkDeltas } from './chunk-deltas';
import { parseChunk } from './chunk-schema';
import { relayedSentence, streamErrorRetryable } from './map-http-error';
import type { SseItem } from './sse-reader';

/**
 * The state of one chat completion stream as its SSE items are read: which deltas they carry,
 * whether the model has written anything yet, whether the answer has ended. Synchronous, so
 * the provider turns a whole network read into deltas without a promise per item. A failure
 * an item carries is kept (`failure`) rather than thrown, so the deltas of the items before it
 * in the same read still reach the reader first.
 */
export class CompletionReader {
  /** The model wrote something: text, reasoning, a tool call or a finish reason. */
  sawToken = false;
  /** A `data:` item that is not a comment arrived in the last `read`. */
  sawData = false;
  /** The answer is over: `[DONE]`, or both the finish reason and the usage arrived. */
  ended = false;
  failure: Error | undefined;
  private sawFinish = false;
  private sawUsage = false;
  private sawDone = false;
  private model: string | undefined;
  private readonly content = new WholeCharacters();
  private readonly reasoning = new WholeCharacters();
  /** One chunk's deltas before the carries see them; reused, so a chunk allocates no array. */
  private readonly chunkOut: Delta[] = [];

  constructor(
    private readonly secrets: readonly string[],
    private readonly logger: Logger | undefined,
  ) {}

  /** Reads `items` into `out`, up to the end of the answer or the first failure. */
  read(items: readonly SseItem[], out: Delta[]): void {
    this.sawData = false;
    for (const item of items) {
      if (this.ended || this.failure) return;
      // Comments (": OPENROUTER PROCESSING") keep the connection open but are not the model
      // writing: they never hold off the first-token or idle timeout.
      if (item.kind === 'comment') continue;
      this.sawData = true;
      try {
        this.readData(item.event.data, out);
      } catch (error) {
        this.failure = error as Error;
      }
    }
  }

  /** After the body: what the carries still hold, and a failure when the answer did not end. */
  finish(out: Delta[]): void {
    for (const [type, carry] of [['reasoning', this.reasoning], ['content', this.content]] as const) {
      const rest = carry.flush();
      if (rest !== '') out.push({ type, content: rest });
    }
    // A finish_reason means the answer itself is whole even if [DONE] was lost.
    if (!this.sawDone && !this.sawFinish) {
      this.failure ??= new UpstreamUnavailableError('The connection to the model provider closed before the answer ended.', {
        code: 'upstream_connection_dropped',
        retryable: true,
      });
    }
  }

  private readData(data: string, out: Delta[]): void {
    if (data === '[DONE]') {
      this.sawDone = true;
      this.ended = true;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      throw new UpstreamProtocolError('The model provider sent a chunk that is not JSON.', { code: 'upstream_bad_response' });
    }
    const parsed = parseChunk(json);
    if (!parsed.success) {
      throw new UpstreamProtocolError('The model provider sent a chunk in an unexpected shape.', { code: 'upstream_bad_response' });
    }
    const chunk = parsed.data;
    if (chunk.error) {
      const said = chunk.error.message ? relayedSentence(chunk.error.message, this.secrets) : '';
      this.logger?.warn('upstream error chunk', { error: chunk.error });
      const upstreamStatus = Number(chunk.error.code);
      throw new UpstreamStreamError(`The model provider failed mid-answer${said ? `: ${said}` : ''}.`, {
        code: 'upstream_stream_error',
        retryable: streamErrorRetryable(chunk.error.code),
        ...(Number.isInteger(upstreamStatus) ? { upstreamStatus } : {}),
      });
    }
    if (chunk.model && this.model === undefined) {
      this.model = chunk.model;
      out.push({ type: 'model', model: chunk.model });
    }
    const choice = chunk.choices?.[0];
    // Any delta the model writes counts, reasoning and tool calls included.
    if (!this.sawToken && (choice?.finish_reason || hasModelOutput(choice?.delta))) this.sawToken = true;
    const deltas = this.chunkOut;
    deltas.length = 0;
    chunkDeltas(chunk, deltas);
    for (const delta of deltas) {
      if (delta.type === 'content' || delta.type === 'reasoning') {
        const whole = (delta.type === 'content' ? this.content : this.reasoning).push(delta.content);
        if (whole === delta.content) out.push(delta);
        else if (whole !== '') out.push({ type: delta.type, content: whole });
        continue;
      }
      if (delta.type === 'finish') {
        if (delta.finishReason === 'error') {
          throw new UpstreamStreamError('The model provider failed mid-answer.', { code: 'upstream_stream_error', retryable: true });
        }
        this.sawFinish = true;
      }
      if (delta.type === 'usage') this.sawUsage = true;
      out.push(delta);
    }
    // The finish reason and the usage are the last things an answer carries: do not wait
    // on a connection that may never close for a [DONE] that adds nothing.
    if (this.sawFinish && this.sawUsage) this.ended = true;
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
