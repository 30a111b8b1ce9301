import { randomUUID } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError, quoteValue } from '../errors';
import type { Logger } from '../logger';
import type { MarkdownStream } from '../markdown';
import type { ChatMessage, ChatProvider } from '../providers/types';
import type { DocumentService } from '../documents/document-service';
import type { SharedSearch } from '../documents/shared-search';
import type { DocumentScope } from '../documents/types';
import { buildPrompt } from '../conversations/build-prompt';
import { recordAnswer } from '../conversations/record-answer';
import { sessionNotFound } from '../conversations/session-not-found';
import { sessionTitle } from '../conversations/session-title';
import type { ConversationStore, MessageRecord } from '../stores/conversation-store';
import type { AnswerListener } from './answer-listener';
import { ChatStream } from './chat-stream';
import type { StreamRegistry } from './stream-registry';
import { readsWithFallback } from './with-fallback';
import { withDocuments } from './with-documents';
import type { RetryPolicy } from './with-retries';

export interface ChatInput {
  message: string;
  /** The session to add the message to; a new one (under this id, if given) when it does not exist. */
  sessionId?: string | undefined;
  model?: string | undefined;
  /** Who asks: a user id, or null for an anonymous caller. Their answer belongs to them. */
  owner?: string | null | undefined;
  /** The client's own limit on the answer's tokens, at most the server's. */
  maxTokens?: number | undefined;
  /** Ground the answer in these of the owner's documents (docs/documents.md). */
  documents?: DocumentScope | undefined;
}

export interface RegenerateInput {
  sessionId: string;
  owner: string | null;
  /** Defaults to the replaced answer's model (while it is enabled), else the default model. */
  model?: string | undefined;
  /** Ground the new answer in these of the owner's documents. */
  documents?: DocumentScope | undefined;
}

export interface RegenerateAnswerInput extends RegenerateInput {
  /**
   * The answer the caller means to replace, as its page or client last saw it. When given and no
   * longer the session's last answer (another tab asked again or went on), nothing is replaced.
   */
  answerId?: string | undefined;
}

export interface EditInput extends RegenerateInput {
  /** The session's last user message. */
  messageId: string;
  content: string;
}

export interface ChatServiceOptions {
  /** The real upstream; undefined when no key is set, so the mock answers. */
  primary: ChatProvider | undefined;
  mock: ChatProvider;
  registry: StreamRegistry;
  store: ConversationStore;
  createMarkdown: () => MarkdownStream;
  defaultModel: string;
  /** Models a client may ask for by name. */
  models: readonly string[];
  systemPrompt: string;
  /** The most tokens (estimated) of system prompt, history and new message one request carries. */
  historyMaxTokens: number;
  /** How often an answer's text so far is saved while it streams, in ms. */
  saveIntervalMs: number;
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
  /** The time stored with messages; tests fix it. */
  now?: () => Date;
  logger?: Logger | undefined;
  /** Grounds answers asked with `documents`; without it such answers are refused. */
  documents?: DocumentService | undefined;
}

export interface StartOptions {
  /** Overrides the service's grace period; `0` ties the answer to its first viewer's connection. */
  graceMs?: number;
  /** One search of the documents for several answers to one question (a compare's sides). */
  search?: SharedSearch | undefined;
}

interface Launch {
  answerId: string;
  sessionId: string;
  owner: string | null;
  model: string;
  message: string;
  /** The session's messages before `message`. */
  history: readonly MessageRecord[];
  /** The `max_tokens` to send upstream, already checked against the server's limit. */
  maxTokens: number | undefined;
  /** The owner's documents to ground the answer in, already checked to be theirs. */
  documents?: DocumentScope | undefined;
}

/**
 * Starts answers, each in a session whose history the model is sent and whose store records
 * the question before the upstream is called and the answer as it streams and ends. Knows
 * nothing of HTTP: routes hand it validated input and read its ChatStreams.
 */
export class ChatService {
  private readonly newId: () => string;
  private readonly now: () => string;
  private readonly recording = new Set<Promise<void>>();
  private readonly listeners = new Set<AnswerListener>();

  constructor(private readonly options: ChatServiceOptions) {
    this.newId = options.newId ?? randomUUID;
    const clock = options.now ?? (() => new Date());
    this.now = () => clock().toISOString();
  }

  get models(): readonly string[] {
    return this.options.models;
  }

  /** Calls `listener` for every answer started from now on (logs, metrics). Returns its removal. */
  onAnswer(listener: AnswerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores the message in its session (creating the session, titled after the message, when
   * it does not exist yet), then starts generating the answer with the session's history and
   * returns it in flight, registered under its id (which is also the answer's message id).
   * Throws `session_not_found` (404) when the id is another owner's session.
   */
  async start(input: ChatInput, startOptions: StartOptions = {}): Promise<ChatStream> {
    const model = this.checkModel(input.model);
    const maxTokens = this.maxTokens(input.maxTokens);
    this.options.registry.assertCapacity();
    const owner = input.owner ?? null;
    await this.checkDocuments(input.documents, owner);
    const answerId = this.newId();
    const sessionId = input.sessionId ?? this.newId();
    const userId = this.newId();
    const store = this.options.store;
    const stored = await store.startTurn({
      sessionId,
      owner,
      title: sessionTitle(input.message),
      user: { id: userId, content: input.message },
      answer: { id: answerId, model },
      now: this.now(),
    });
    if (!stored) throw sessionNotFound(sessionId);
    const messages = (await store.listMessages(sessionId, owner)) ?? [];
    const before = messages.slice(0, messages.findIndex((m) => m.id === userId));
    const launch = { answerId, sessionId, owner, model, message: input.message, history: before, maxTokens, documents: input.documents };
    return this.launch(launch, startOptions);
  }

  /**
   * Starts an answer that joins no conversation: the A/B compare keeps its two answers with its
   * vote instead. With `sessionId`, that session's messages are sent as history (404 when it is
   * not the owner's); nothing is stored either way.
   */
  async startUnsaved(input: ChatInput, startOptions: StartOptions = {}): Promise<ChatStream> {
    const model = this.checkModel(input.model);
    const maxTokens = this.maxTokens(input.maxTokens);
    this.options.registry.assertCapacity();
    const owner = input.owner ?? null;
    await this.checkDocuments(input.documents, owner);
    const history = input.sessionId === undefined ? [] : await this.messagesOf(input.sessionId, owner);
    const answerId = this.newId();
    const sessionId = input.sessionId ?? this.newId();
    const launch = { answerId, sessionId, owner, model, message: input.message, history, maxTokens, documents: input.documents };
    return this.launch(launch, startOptions, { record: false });
  }

  /**
   * Replaces the session's last answer with a new one to the same question. Throws
   * `session_not_found` (404), `nothing_to_regenerate` (409) when no question was asked yet, or
   * `not_last_answer` (409) when `answerId` names an answer that is no longer the last.
   */
  async regenerate(input: RegenerateAnswerInput, startOptions: StartOptions = {}): Promise<ChatStream> {
    const messages = await this.messagesOf(input.sessionId, input.owner);
    const index = messages.findLastIndex((m) => m.role === 'user');
    if (index < 0) {
      throw new ConflictError('This conversation has no question to answer again. Send a message first.', 'nothing_to_regenerate');
    }
    if (input.answerId !== undefined && messages[index + 1]?.id !== input.answerId) {
      throw new ConflictError(
        'That answer is no longer the last one: the conversation changed since it was shown. Reload it to see the latest answer.',
        'not_last_answer',
      );
    }
    return this.replace(input, messages, index, undefined, startOptions);
  }

  /**
   * Rewrites the session's last user message and replaces the answer after it with a new one.
   * Throws `session_not_found` or `message_not_found` (404), or `not_last_user_message` (409).
   */
  async editLastMessage(input: EditInput, startOptions: StartOptions = {}): Promise<ChatStream> {
    const messages = await this.messagesOf(input.sessionId, input.owner);
    const index = messages.findIndex((m) => m.id === input.messageId && m.role === 'user');
    if (index < 0) {
      throw new NotFoundError(
        `This conversation has no message of yours with id "${input.messageId}".`,
        'message_not_found',
      );
    }
    if (messages.findLastIndex((m) => m.role === 'user') !== index) {
      throw new ConflictError(
        'Only the last message you sent can be edited; later messages depend on it.',
        'not_last_user_message',
      );
    }
    return this.replace(input, messages, index, input.content, startOptions);
  }

  /** Throws `document_not_found` (404) for a document that is not the owner's, or 400 when documents are off. */
  private async checkDocuments(scope: DocumentScope | undefined, owner: string | null): Promise<void> {
    if (scope === undefined) return;
    if (!this.options.documents) {
      throw new BadRequestError('This server keeps no documents, so "documents" cannot be used. Leave it out.', 'documents_unavailable');
    }
    await this.options.documents.checkScope(owner, scope);
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

  /** Resolves once every answer that has ended is written to the store (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private async messagesOf(sessionId: string, owner: string | null): Promise<MessageRecord[]> {
    const messages = await this.options.store.listMessages(sessionId, owner);
    if (!messages) throw sessionNotFound(sessionId);
    return messages;
  }

  private async replace(
    input: RegenerateInput,
    messages: readonly MessageRecord[],
    userIndex: number,
    content: string | undefined,
    startOptions: StartOptions,
  ): Promise<ChatStream> {
    const replaced = messages.slice(userIndex + 1);
    const previousModel = replaced.find((m) => m.role === 'assistant')?.model ?? undefined;
    const model = this.checkModel(
      input.model ?? (previousModel && this.options.models.includes(previousModel) ? previousModel : undefined),
    );
    this.options.registry.assertCapacity();
    await this.checkDocuments(input.documents, input.owner);
    const question = messages[userIndex]!;
    const answerId = this.newId();
    const { sessionId, owner } = input;
    const stored = await this.options.store.replaceAnswer({
      sessionId,
      owner,
      userMessageId: question.id,
      content,
      answer: { id: answerId, model },
      now: this.now(),
    });
    if (!stored) throw sessionNotFound(sessionId);
    // An answer being replaced while it streams is stopped, so it stops costing tokens.
    for (const message of replaced) this.options.registry.get(message.id)?.stop();
    const message = content ?? question.content;
    const history = messages.slice(0, userIndex);
    const launch = { answerId, sessionId, owner, model, message, history, maxTokens: this.maxTokens(undefined), documents: input.documents };
    return this.launch(launch, startOptions);
  }

  /** The model an answer would use: `requested`, or the default. Throws a 400 when it is not enabled. */
  checkModel(requested: string | undefined): string {
    const o = this.options;
    const model = requested ?? o.defaultModel;
    if (!o.models.includes(model)) {
      throw new BadRequestError(
        `The model ${quoteValue(model)} is not enabled on this server. Use one of: ${o.models.join(', ')}.`,
        'model_not_allowed',
      );
    }
    return model;
  }

  private launch(launch: Launch, startOptions: StartOptions, { record } = { record: true }): ChatStream {
    const o = this.options;
    const plannedSource = o.primary ? o.primary.name : o.mock.name;
    const stream = new ChatStream({
      id: launch.answerId,
      sessionId: launch.sessionId,
      model: launch.model,
      owner: launch.owner,
      prompt: launch.message,
      plannedSource,
      markdown: o.createMarkdown(),
      frameMs: o.frameMs,
      maxEvents: o.maxEvents,
      graceMs: startOptions.graceMs ?? o.graceMs,
      ...(o.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: o.maxAnswerBytes }),
    });
    o.registry.add(stream);
    for (const listener of this.listeners) listener(stream, plannedSource);
    if (record) {
      const recorded = recordAnswer(stream, {
        store: o.store,
        saveIntervalMs: o.saveIntervalMs,
        now: this.now,
        logger: o.logger,
      });
      this.recording.add(recorded);
      void recorded.then(() => this.recording.delete(recorded));
    }
    const answer = (groundingPrompt: string) => {
      const systemPrompt = [o.systemPrompt, groundingPrompt].filter((p) => p !== '').join('\n\n');
      const messages: ChatMessage[] = buildPrompt({
        systemPrompt,
        history: launch.history,
        message: launch.message,
        maxTokens: o.historyMaxTokens,
      });
      return readsWithFallback(
        { primary: o.primary, mock: o.mock, fallback: o.fallback, ...(o.retry ? { retry: o.retry } : {}) },
        { model: launch.model, messages, maxTokens: launch.maxTokens },
        stream.signal,
      );
    };
    const documents = o.documents;
    const deltas =
      launch.documents !== undefined && documents
        ? withDocuments(
            {
              documents,
              owner: launch.owner,
              scope: launch.documents,
              message: launch.message,
              previousQuestion: launch.history.findLast((m) => m.role === 'user')?.content,
              shared: startOptions.search,
            },
            answer,
            stream.signal,
          )
        : answer('');
    void stream.run(deltas);
    return stream;
  }
}
