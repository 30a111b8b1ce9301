import type { CompleteData, ErrorData, MessageData, ProgressData, ReasoningData, SourcesData, StartData } from '../chat/events';

/** `chat_stream`'s payload: the HTTP body, plus the `partial` opt-in. */
export interface ChatStreamRequest {
  message: string;
  session_id?: string;
  model?: string;
  /** Send the whole answer so far with every token. Off by default: it costs the square of the answer's length. */
  partial?: boolean;
  /** Ground the answer in the caller's documents: "all" or a list of ids (docs/documents.md). */
  documents?: 'all' | string[];
  /** The design document's name for `message`. */
  query?: string;
  /** true is `documents: "all"`. */
  auto_load_documents?: boolean;
}

/** One delta, as `chat_token`. */
export interface ChatTokenData {
  token: string;
  count: number;
  /** The whole answer so far; only when `chat_stream` asked for it. */
  partial?: string;
  html: MessageData['html'];
  /** As on the SSE `message`: the catch-up form that replaces what the client had. */
  reset?: true;
}

export interface ChatStopReply {
  /** `stopping` when an answer was running, `idle` when there was none. */
  status: 'stopping' | 'idle';
}

/** What the server emits, event by event (typed for socket.io's `Server<…>`). */
export interface ServerToClientEvents {
  chat_start: (data: StartData) => void;
  /** A stage of the answer (waiting, retrying, falling back…): the SSE `progress` data. */
  chat_progress: (data: ProgressData) => void;
  /** A grounded answer's numbered passages, after `chat_start` (docs/documents.md). */
  chat_sources: (data: SourcesData) => void;
  /** The model's thinking as it streams: the SSE `reasoning` data. */
  chat_reasoning: (data: ReasoningData) => void;
  chat_token: (data: ChatTokenData) => void;
  chat_complete: (data: CompleteData) => void;
  chat_stream_error: (data: ErrorData) => void;
}

/** What a client may emit. Payloads are validated: they are untrusted input. */
export interface ClientToServerEvents {
  chat_stream: (request: ChatStreamRequest) => void;
  chat_stop: (reply?: (result: ChatStopReply) => void) => void;
}

export type InterServerEvents = Record<string, never>;

/** Per-socket state, set by the auth middleware. */
export interface SocketData {
  /** The user id from the handshake's token, or null when anonymous. */
  user: string | null;
  /** The client's IP as `req.ip` would name it (TRUST_PROXY honoured): whose budget an anonymous socket spends. */
  ip: string;
}
