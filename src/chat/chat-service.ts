import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../errors';
import type { MarkdownStream } from '../markdown';
import type { ChatMessage, ChatProvider } from '../providers/types';
import type { AnswerListener } from './answer-listener';
import { ChatStream } from './chat-stream';
import type { StreamRegistry } from './stream-registry';
import { streamWithFallback } from './with-fallback';
import type { RetryPolicy } from './with-retries';

export interface ChatInput {
  message: string;
  sessionId?: string | undefined;
  model?: string | undefined;
  /** Who asks: a user id, or null for an anonymous caller. Their answer belongs to them. */
  owner?: string | null | undefined;
  /** The client's own limit on the answer's tokens, at most the server's. */
  maxTokens?: number | undefined;
}

export interface ChatServiceOptions {
  /** The real upstream; undefined when no key is set, so the mock answers. */
  primary: ChatProvider | undefined;
  mock: ChatProvider;
  registry: StreamRegistry;
  createMarkdown: () => MarkdownStream;
  defaultModel: string;
  /** Models a client may ask for by name. */
  models: readonly string[];
  systemPrompt: string;
  fallback: boolean;
  frameMs: number;
  maxEvents: number;
  /** Unwatched time before an answer is abandoned, for streams opened with `start`. */
  graceMs: number;
  /** Retries of the upstream before its first token. Defaults to none. */
  retry?: RetryPolicy;
  /** Sent as `max_tokens`; `0` or undefined sends none. */
  maxAnswerTokens?: number;
  /** UTF-8 bytes of text kept per answer. Defaults to unbounded. */
  maxAnswerBytes?: number;
  newId?: () => string;
}

export interface StartOptions {
  /** Overrides the service's grace period; `0` ties the answer to its first viewer's connection. */
  graceMs?: number;
}

/** Starts answers. Knows nothing of HTTP: routes hand it validated input and read its ChatStreams. */
export class ChatService {
  private readonly newId: () => string;
  private readonly listeners = new Set<AnswerListener>();

  constructor(private readonly options: ChatServiceOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  get models(): readonly string[] {
    return this.options.models;
  }

  /** Calls `listener` for every answer started from now on (logs, metrics). Returns its removal. */
  onAnswer(listener: AnswerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts generating at once and returns the answer in flight, registered under its id. */
  start(input: ChatInput, startOptions: StartOptions = {}): ChatStream {
    const o = this.options;
    const model = input.model ?? o.defaultModel;
    if (!o.models.includes(model)) {
      throw new BadRequestError(
        `The model "${model}" is not enabled on this server. Use one of: ${o.models.join(', ')}.`,
        'model_not_allowed',
      );
    }
    const maxTokens = this.maxTokens(input.maxTokens);
    const plannedSource = o.primary ? o.primary.name : o.mock.name;
    const stream = new ChatStream({
      id: this.newId(),
      sessionId: input.sessionId ?? this.newId(),
      model,
      owner: input.owner ?? null,
      prompt: input.message,
      plannedSource,
      markdown: o.createMarkdown(),
      frameMs: o.frameMs,
      maxEvents: o.maxEvents,
      graceMs: startOptions.graceMs ?? o.graceMs,
      ...(o.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: o.maxAnswerBytes }),
    });
    o.registry.add(stream);
    for (const listener of this.listeners) listener(stream, plannedSource);
    const messages: ChatMessage[] = [];
    if (o.systemPrompt) messages.push({ role: 'system', content: o.systemPrompt });
    messages.push({ role: 'user', content: input.message });
    const deltas = streamWithFallback(
      { primary: o.primary, mock: o.mock, fallback: o.fallback, ...(o.retry ? { retry: o.retry } : {}) },
      { model, messages, maxTokens },
      stream.signal,
    );
    void stream.run(deltas);
    return stream;
  }

  /** The `max_tokens` to send: the client's when it asks for no more than the server allows. */
  private maxTokens(asked: number | undefined): number | undefined {
    const limit = this.options.maxAnswerTokens || undefined;
    if (asked === undefined) return limit;
    if (limit !== undefined && asked > limit) {
      throw new BadRequestError(
        `"max_tokens" is ${asked}; this server allows at most ${limit}. Ask for ${limit} or fewer.`,
        'max_tokens_too_large',
      );
    }
    return asked;
  }

  /**
   * The answer with this id, if `owner` may see it: answers belong to their user, and anonymous
   * ones (owner null) only to anonymous callers. Someone else's answer is as good as absent, so
   * ids cannot be probed.
   */
  get(id: string, owner: string | null = null): ChatStream | undefined {
    const stream = this.options.registry.get(id);
    return stream && stream.owner === owner ? stream : undefined;
  }
}
