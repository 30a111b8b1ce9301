import type { SourceData } from '../documents/grounding';
import type { AppError } from '../errors';
import type { TailEdit } from '../markdown';
import type { ProgressStage, ProviderName, Usage } from '../providers/types';

export interface StartData {
  id: string;
  session_id: string;
  model: string;
  source: ProviderName;
  /** Why the mock answers instead of the model, as a machine code (`no_api_key`, `upstream_unavailable`…). */
  fallback_reason?: string;
  /** The same, as a sentence for people. */
  fallback_message?: string;
}

export interface MessageData {
  /** The raw markdown delta, what a fetch client appends. */
  content: string;
  /** The same delta, for clients of the token/count shape. */
  token: string;
  /** Deltas so far. */
  count: number;
  html: {
    /** Sanitized HTML of blocks that became final with this delta; append it. */
    append: string;
    /**
     * Sanitized HTML of the open block; replaces the previous tail. Sent whole when it shares
     * nothing with the previous one; otherwise `tail_edit` is sent instead. Neither is there
     * when the tail did not change.
     */
    tail?: string;
    /**
     * The new tail as an edit of the previous one: keep its first `keep` UTF-16 code units, then
     * add `add`. A growing code block or list then costs what it grew by, not its whole length.
     */
    tail_edit?: TailEdit;
  };
  /**
   * Present on the catch-up message a returning viewer gets when its Last-Event-ID is older
   * than the server still holds: `content`, `append` and `tail` then hold the whole answer so
   * far, and the client replaces what it had instead of appending.
   */
  reset?: true;
}

/** The model's thinking as it streams; a client that knows nothing of it can ignore it. */
export interface ReasoningData {
  /** The raw reasoning delta. */
  content: string;
  /** Reasoning deltas so far. */
  count: number;
  /** On a returning viewer's catch-up: `content` is all the reasoning so far; replace, do not append. */
  reset?: true;
}

/** A stage of the answer that really began: the only event that may come before `start`. */
export interface ProgressData {
  stage: ProgressStage;
  /** The stage as a sentence for a person ("Waiting for the model…"). */
  message: string;
  /** Milliseconds since the request. */
  elapsed_ms: number;
  /** `retrying`: the retry's number (1 for the first), the wait before it, and the failure's code. */
  attempt?: number;
  delay_ms?: number;
  /** `retrying`, `fallback`: the code of the failure behind it. */
  reason?: string;
  /** `generating` after reasoning: how long the model thought, in ms. */
  reasoning_ms?: number;
  /** `searching`: documents searched; `selecting`: documents the chosen passages come from. */
  documents?: number;
  /** `selecting`: passages chosen. */
  passages?: number;
  /** `preparing_query`: whether the previous question's words widened the search. */
  rewritten?: boolean;
}

/** The passages a grounded answer may cite, numbered as the model was told (docs/documents.md). */
export interface SourcesData {
  sources: SourceData[];
}

export interface CompleteData {
  status: 'completed';
  done: true;
  id: string;
  session_id: string;
  /** The model that answered, as the upstream named it; the requested one for the mock. */
  model: string;
  /** The model asked for, present only when another one answered (OPENROUTER_FALLBACK_MODELS, or a dated name). */
  requested_model?: string;
  source: ProviderName;
  /** Whose answer it is: the token's `sub`, or `anonymous`. */
  user: string;
  /**
   * `stop`, `length`… from the upstream; `stopped` when stopped by a client; `abandoned` when nobody
   * watched; `shutdown` when the server stopped.
   */
  finish_reason: string;
  tokens: number;
  /** Seconds from the request to the end. */
  duration: number;
  /** Tokens per second from the first token to the end. */
  tokens_per_second: number;
  /** Milliseconds from the request to the first token; null when no token came. */
  ttft_ms: number | null;
  full_response: string;
  /** All the model's reasoning, or null when it showed none. */
  reasoning: string | null;
  /** Milliseconds from the first reasoning delta to the first content delta (or the end); null without reasoning. */
  reasoning_ms: number | null;
  /**
   * The whole answer's final sanitized HTML: the one-shot render of `full_response` with its fenced
   * code blocks syntax-highlighted (`span class="hljs-*"` inside `<pre><code>`).
   */
  html: string;
  usage: Usage | null;
  timestamp: string;
  /** The `sources` event's list again, when the answer was asked with documents. */
  sources?: SourceData[];
}

export interface ErrorData {
  error: string;
  code: string;
  retryable: boolean;
  /** Seconds the upstream asked us to wait (its `Retry-After`), when it said. */
  retry_after_s?: number;
}

export type ChatEvent =
  | { readonly id: number; readonly type: 'start'; readonly data: StartData }
  | { readonly id: number; readonly type: 'progress'; readonly data: ProgressData }
  | { readonly id: number; readonly type: 'reasoning'; readonly data: ReasoningData }
  | { readonly id: number; readonly type: 'sources'; readonly data: SourcesData }
  | { readonly id: number; readonly type: 'message'; readonly data: MessageData }
  | { readonly id: number; readonly type: 'complete'; readonly data: CompleteData }
  | { readonly id: number; readonly type: 'error'; readonly data: ErrorData; readonly cause: AppError };

export type ChatEventType = ChatEvent['type'];
