import type { Database, Statement } from 'better-sqlite3';
import { guarded, inTransaction } from './guarded';
import type {
  ConversationStore,
  FinishedAnswer,
  MessageRecord,
  ReplaceAnswerInput,
  SessionCursor,
  SessionRecord,
  StartTurnInput,
} from '../conversation-store';
import { openDatabase } from './open-database';
import { toMessage, toSession, type MessageRow, type SessionRow } from '../rows';

const SESSION_COLUMNS = `s.id, s.owner, s.title, s.created_at, s.updated_at,
  (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count`;
const MESSAGE_COLUMNS = `id, session_id, role, content, html, reasoning, model, source, finish_reason,
  usage, ttft_ms, error, stats, sources, created_at`;

/**
 * The conversation store on one SQLite file (better-sqlite3). Statements are prepared once;
 * every write of more than one row is one transaction. `owner IS ?` matches null to null, so
 * anonymous sessions are only anonymous callers'.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly db: Database;
  private readonly sql: Record<
    | 'getSession'
    | 'sessionOwner'
    | 'listSessions'
    | 'listSessionsBefore'
    | 'listMessages'
    | 'insertSession'
    | 'touchSession'
    | 'insertMessage'
    | 'messageSeq'
    | 'deleteAfter'
    | 'setContent'
    | 'saveProgress'
    | 'finishAnswer'
    | 'sessionOfMessage'
    | 'renameSession'
    | 'deleteSession'
    | 'markInterrupted',
    Statement
  >;

  /** Opens `file` (`:memory:` for a throwaway database), creating and migrating it as needed. */
  constructor(file: string) {
    this.db = openDatabase(file);
    const p = (source: string) => this.db.prepare(source);
    this.sql = {
      getSession: p(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ? AND s.owner IS ?`),
      sessionOwner: p('SELECT owner FROM sessions WHERE id = ?'),
      listSessions: p(
        `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.owner IS ?
         ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`,
      ),
      listSessionsBefore: p(
        `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.owner IS ?
           AND (s.updated_at < ? OR (s.updated_at = ? AND s.id < ?))
         ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`,
      ),
      listMessages: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY seq`),
      insertSession: p('INSERT INTO sessions (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      touchSession: p('UPDATE sessions SET updated_at = max(updated_at, ?) WHERE id = ?'),
      insertMessage: p(
        `INSERT INTO messages (id, session_id, role, content, model, created_at)
         VALUES (@id, @sessionId, @role, @content, @model, @now)`,
      ),
      messageSeq: p(`SELECT seq FROM messages WHERE id = ? AND session_id = ? AND role = 'user'`),
      deleteAfter: p('DELETE FROM messages WHERE session_id = ? AND seq > ?'),
      setContent: p('UPDATE messages SET content = ? WHERE id = ?'),
      saveProgress: p('UPDATE messages SET content = ? WHERE id = ? AND finish_reason IS NULL'),
      finishAnswer: p(
        `UPDATE messages SET content = @content, html = @html, reasoning = @reasoning, model = @model,
           source = @source, finish_reason = @finishReason, usage = @usage, ttft_ms = @ttftMs, error = @error,
           stats = @stats, sources = @sources
         WHERE id = @id`,
      ),
      sessionOfMessage: p('SELECT session_id FROM messages WHERE id = ?'),
      renameSession: p('UPDATE sessions SET title = ?, updated_at = max(updated_at, ?) WHERE id = ? AND owner IS ?'),
      deleteSession: p('DELETE FROM sessions WHERE id = ? AND owner IS ?'),
      markInterrupted: p(
        `UPDATE messages SET finish_reason = 'interrupted' WHERE role = 'assistant' AND finish_reason IS NULL`,
      ),
    };
  }

  async getSession(id: string, owner: string | null): Promise<SessionRecord | undefined> {
    return guarded(() => {
      const row = this.sql.getSession.get(id, owner) as SessionRow | undefined;
      return row && toSession(row);
    });
  }

  async listSessions(
    owner: string | null,
    page: { limit: number; before?: SessionCursor | undefined },
  ): Promise<SessionRecord[]> {
    return guarded(() => {
      const { before } = page;
      const rows = (
        before === undefined
          ? this.sql.listSessions.all(owner, page.limit)
          : // Without an id, every session updated at exactly that time is on an earlier page.
            this.sql.listSessionsBefore.all(owner, before.updatedAt, before.updatedAt, before.id ?? '', page.limit)
      ) as SessionRow[];
      return rows.map(toSession);
    });
  }

  async listMessages(sessionId: string, owner: string | null): Promise<MessageRecord[] | undefined> {
    return inTransaction(this.db, () => {
      if (!this.isOwners(sessionId, owner)) return undefined;
      return (this.sql.listMessages.all(sessionId) as MessageRow[]).map(toMessage);
    });
  }

  async startTurn(input: StartTurnInput): Promise<boolean> {
    return inTransaction(this.db, () => {
      const existing = this.sql.sessionOwner.get(input.sessionId) as { owner: string | null } | undefined;
      if (existing && existing.owner !== input.owner) return false;
      if (!existing) {
        this.sql.insertSession.run(input.sessionId, input.owner, input.title, input.now, input.now);
      }
      this.insertMessage(input.sessionId, 'user', input.user.id, input.user.content, null, input.now);
      this.insertMessage(input.sessionId, 'assistant', input.answer.id, '', input.answer.model, input.now);
      this.sql.touchSession.run(input.now, input.sessionId);
      return true;
    });
  }

  async replaceAnswer(input: ReplaceAnswerInput): Promise<boolean> {
    return inTransaction(this.db, () => {
      if (!this.isOwners(input.sessionId, input.owner)) return false;
      const found = this.sql.messageSeq.get(input.userMessageId, input.sessionId) as { seq: number } | undefined;
      if (!found) return false;
      this.sql.deleteAfter.run(input.sessionId, found.seq);
      if (input.content !== undefined) this.sql.setContent.run(input.content, input.userMessageId);
      this.insertMessage(input.sessionId, 'assistant', input.answer.id, '', input.answer.model, input.now);
      this.sql.touchSession.run(input.now, input.sessionId);
      return true;
    });
  }

  async saveProgress(answerId: string, content: string): Promise<void> {
    guarded(() => this.sql.saveProgress.run(content, answerId));
  }

  async finishAnswer(answerId: string, answer: FinishedAnswer, now: string): Promise<void> {
    inTransaction(this.db, () => {
      const found = this.sql.sessionOfMessage.get(answerId) as { session_id: string } | undefined;
      if (!found) return;
      this.sql.finishAnswer.run({
        id: answerId,
        content: answer.content,
        html: answer.html,
        reasoning: answer.reasoning,
        model: answer.model,
        source: answer.source,
        finishReason: answer.finishReason,
        usage: answer.usage === null ? null : JSON.stringify(answer.usage),
        ttftMs: answer.ttftMs,
        error: answer.error === null ? null : JSON.stringify(answer.error),
        stats: answer.stats ? JSON.stringify(answer.stats) : null,
        sources: answer.sources ? JSON.stringify(answer.sources) : null,
      });
      this.sql.touchSession.run(now, found.session_id);
    });
  }

  async renameSession(id: string, owner: string | null, title: string, now: string): Promise<SessionRecord | undefined> {
    return inTransaction(this.db, () => {
      if (this.sql.renameSession.run(title, now, id, owner).changes === 0) return undefined;
      return toSession(this.sql.getSession.get(id, owner) as SessionRow);
    });
  }

  async deleteSession(id: string, owner: string | null): Promise<boolean> {
    return guarded(() => {
      const deleted = this.sql.deleteSession.run(id, owner).changes > 0;
      // The WAL still holds the pages as they were before the delete; copy it into the main
      // file (whose freed pages secure_delete zeroes) and empty it, so no text of the
      // conversation is left on disk.
      if (deleted) this.db.pragma('wal_checkpoint(TRUNCATE)');
      return deleted;
    });
  }

  async markInterrupted(): Promise<number> {
    return guarded(() => this.sql.markInterrupted.run().changes);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }


  private isOwners(sessionId: string, owner: string | null): boolean {
    const row = this.sql.sessionOwner.get(sessionId) as { owner: string | null } | undefined;
    return row !== undefined && row.owner === owner;
  }

  private insertMessage(
    sessionId: string,
    role: 'user' | 'assistant',
    id: string,
    content: string,
    model: string | null,
    now: string,
  ): void {
    this.sql.insertMessage.run({ id, sessionId, role, content, model, now });
  }
}
