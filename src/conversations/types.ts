import type { MessageRecord, SessionCursor, SessionRecord } from '../stores/conversation-store';

export interface ConversationMessage extends MessageRecord {
  /**
   * For an answer still generating on this server, the id of its live stream
   * (`/api/chat/streams/<streamId>`, the same as the message id) to resume from; else null.
   */
  streamId: string | null;
}

/** A session with all its messages, oldest first. */
export interface Conversation {
  session: SessionRecord;
  messages: ConversationMessage[];
}

export interface SessionPage {
  sessions: SessionRecord[];
  /** Pass as `before` for the next page; null on the last page. */
  next: SessionCursor | null;
}

export type ExportFormat = 'md' | 'json';

/** A conversation as a file to download. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}
