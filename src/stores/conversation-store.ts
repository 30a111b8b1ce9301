import type { SourceData } from '../documents/grounding';
import type { Usage } from '../providers/types';

export type MessageRole = 'user' | 'assistant';

/** A conversation, as a store keeps it. Times are ISO 8601 strings in UTC. */
export interface SessionRecord {
  id: string;
  title: string;
  /** The user it belongs to, or null when anonymous. */
  owner: string | null;
  createdAt: string;
  /** When a message was last added, answered or changed, or the session renamed. */
  updatedAt: string;
  messageCount: number;
}

/** Why an answer failed, as its `error` event said. */
export interface MessageError {
  error: string;
  code: string;
  retryable: boolean;
}

/** The numbers of an answer's live footer, kept so that its stored footer says the same. */
export interface AnswerStats {
  tokens: number;
  tokensPerSecond: number;
  /** How long the model reasoned before it answered; null when it showed no reasoning. */
  reasoningMs: number | null;
}

export interface MessageRecord {
  id: string;
  sessionId: string;
  role: MessageRole;
  /** The markdown: the user's text, or the answer's (so far, while it streams). */
  content: string;
  /** The answer's final sanitized HTML; null for user messages and answers that have not ended. */
  html: string | null;
  reasoning: string | null;
  model: string | null;
  source: string | null;
  /**
   * How the answer ended: the upstream's `stop`, `length`…, or `stopped`, `abandoned`,
   * `error` (see `error`), `interrupted` (the server died while it streamed). Null while it
   * streams, and for user messages.
   */
  finishReason: string | null;
  usage: Usage | null;
  ttftMs: number | null;
  error: MessageError | null;
  /** Null for user messages, failed answers, answers that have not ended or were stored without them. */
  stats?: AnswerStats | null;
  /** The passages a grounded answer was given, as its `sources` event carried them; null when asked without documents. */
  sources?: SourceData[] | null;
  createdAt: string;
}

/** Where a page of the session list starts: sessions updated before this (and, at a tie, ordered before `id`). */
export interface SessionCursor {
  updatedAt: string;
  id?: string | undefined;
}

export interface NewAnswer {
  id: string;
  model: string;
}

export interface StartTurnInput {
  sessionId: string;
  owner: string | null;
  /** The title a session created by this turn gets. */
  title: string;
  user: { id: string; content: string };
  answer: NewAnswer;
  now: string;
}

export interface ReplaceAnswerInput {
  sessionId: string;
  owner: string | null;
  /** The user message whose answer is replaced; every message after it is deleted. */
  userMessageId: string;
  /** New text for that user message (editing it); undefined keeps it. */
  content?: string | undefined;
  answer: NewAnswer;
  now: string;
}

/** Everything known about an answer once it ended. */
export interface FinishedAnswer {
  content: string;
  html: string | null;
  reasoning: string | null;
  model: string;
  source: string | null;
  finishReason: string;
  usage: Usage | null;
  ttftMs: number | null;
  error: MessageError | null;
  stats?: AnswerStats | null;
  sources?: SourceData[] | null;
}

/**
 * Sessions and their messages. Every read or write of a session names its `owner`: another
 * owner's session is treated as absent. Anonymous sessions (owner null) are visible only to
 * anonymous callers. Async so that a store on a database server fits the same interface.
 */
export interface ConversationStore {
  /** The session, if it exists and belongs to `owner`. */
  getSession(id: string, owner: string | null): Promise<SessionRecord | undefined>;
  /** `owner`'s sessions, most recently updated first. */
  listSessions(owner: string | null, page: { limit: number; before?: SessionCursor | undefined }): Promise<SessionRecord[]>;
  /** The session's messages in order, or undefined when it is not `owner`'s (or does not exist). */
  listMessages(sessionId: string, owner: string | null): Promise<MessageRecord[] | undefined>;
  /**
   * In one transaction: creates the session when it does not exist, adds the user message and
   * an empty answer that is streaming. False (and nothing written) when the id is another owner's.
   */
  startTurn(input: StartTurnInput): Promise<boolean>;
  /**
   * In one transaction: deletes every message after `userMessageId`, optionally rewrites it,
   * and adds an empty streaming answer. False when the session or message is not `owner`'s.
   */
  replaceAnswer(input: ReplaceAnswerInput): Promise<boolean>;
  /** Saves the text so far of an answer that still streams. */
  saveProgress(answerId: string, content: string): Promise<void>;
  /** Records how the answer ended and touches its session. A deleted answer is ignored. */
  finishAnswer(answerId: string, answer: FinishedAnswer, now: string): Promise<void>;
  renameSession(id: string, owner: string | null, title: string, now: string): Promise<SessionRecord | undefined>;
  /** Deletes the session and its messages, leaving none of their text in the database. */
  deleteSession(id: string, owner: string | null): Promise<boolean>;
  /** Marks answers left streaming by a process that died as `interrupted`; returns how many. */
  markInterrupted(): Promise<number>;
  close(): Promise<void>;
}
