import type {
  ConversationStore,
  FinishedAnswer,
  MessageRecord,
  ReplaceAnswerInput,
  SessionCursor,
  SessionRecord,
  StartTurnInput,
} from '../conversation-store';
import { toMessage, toSession, type MessageRow, type SessionRow } from '../rows';
import type { PostgresDatabase, Queryable } from './postgres-database';

const SESSION_COLUMNS = `s.id, s.owner, s.title, s.created_at, s.updated_at,
  (SELECT COUNT(*)::int FROM messages m WHERE m.session_id = s.id) AS message_count`;
// The json columns as their stored text, which the shared row mapping parses as SQLite's.
const MESSAGE_COLUMNS_OF_M = `m.id, m.session_id, m.role, m.content, m.html, m.reasoning, m.model, m.source,
  m.finish_reason, m.usage::text AS usage, m.ttft_ms, m.error::text AS error, m.stats::text AS stats, m.sources::text AS sources, m.created_at`;

/**
 * `column` belongs to `owner`, the owner being parameter `$n`. Null is written `IS NULL` so the
 * (owner, updated_at) index serves anonymous lists too; the parameter stays in the text either
 * way so the numbering does not depend on it.
 */
function ownedBy(column: string, owner: string | null, n: number): string {
  return owner === null ? `(${column} IS NULL AND $${n}::text IS NULL)` : `${column} = $${n}`;
}

/**
 * The conversation store on PostgreSQL (node-postgres), for several instances sharing one
 * database. Each write of more than one row is one transaction; a turn locks its session row,
 * so two instances writing the same conversation take turns.
 */
export class PostgresConversationStore implements ConversationStore {
  private readonly release: () => Promise<void>;

  constructor(private readonly db: PostgresDatabase) {
    this.release = db.use();
  }

  async getSession(id: string, owner: string | null): Promise<SessionRecord | undefined> {
    const [row] = await this.db.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = $1 AND ${ownedBy('s.owner', owner, 2)}`,
      [id, owner],
    );
    return row && toSession(row);
  }

  async listSessions(
    owner: string | null,
    page: { limit: number; before?: SessionCursor | undefined },
  ): Promise<SessionRecord[]> {
    const { before } = page;
    const rows =
      before === undefined
        ? await this.db.query<SessionRow>(
            `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE ${ownedBy('s.owner', owner, 1)}
             ORDER BY s.updated_at DESC, s.id DESC LIMIT $2`,
            [owner, page.limit],
          )
        : // Without an id, every session updated at exactly that time is on an earlier page.
          await this.db.query<SessionRow>(
            `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE ${ownedBy('s.owner', owner, 1)}
               AND (s.updated_at < $2 OR (s.updated_at = $2 AND s.id < $3))
             ORDER BY s.updated_at DESC, s.id DESC LIMIT $4`,
            [owner, before.updatedAt, before.id ?? '', page.limit],
          );
    return rows.map(toSession);
  }

  async listMessages(sessionId: string, owner: string | null): Promise<MessageRecord[] | undefined> {
    // One statement, so one snapshot: the session's owner and its messages as of the same moment.
    // A session row with no message comes back once, with null message columns.
    const rows = await this.db.query<MessageRow | { [K in keyof MessageRow]: null }>(
      `SELECT ${MESSAGE_COLUMNS_OF_M} FROM sessions s LEFT JOIN messages m ON m.session_id = s.id
       WHERE s.id = $1 AND ${ownedBy('s.owner', owner, 2)} ORDER BY m.seq`,
      [sessionId, owner],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((row): row is MessageRow => row.id !== null).map(toMessage);
  }

  async startTurn(input: StartTurnInput): Promise<boolean> {
    return this.db.transaction(async (client) => {
      // Creating the session first (a no-op when it exists) then locking it means two instances
      // starting the same new conversation at once do not both try to create it.
      await client.query(
        `INSERT INTO sessions (id, owner, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (id) DO NOTHING`,
        [input.sessionId, input.owner, input.title, input.now],
      );
      // Another owner's: the insert above did nothing, so nothing is written.
      if (!(await isOwners(client, input.sessionId, input.owner))) return false;
      await insertMessage(client, input.sessionId, 'user', input.user.id, input.user.content, null, input.now);
      await insertMessage(client, input.sessionId, 'assistant', input.answer.id, '', input.answer.model, input.now);
      await touchSession(client, input.sessionId, input.now);
      return true;
    });
  }

  async replaceAnswer(input: ReplaceAnswerInput): Promise<boolean> {
    return this.db.transaction(async (client) => {
      if (!(await isOwners(client, input.sessionId, input.owner))) return false;
      const { rows } = await client.query<{ seq: string }>(
        `SELECT seq FROM messages WHERE id = $1 AND session_id = $2 AND role = 'user'`,
        [input.userMessageId, input.sessionId],
      );
      const found = rows[0];
      if (!found) return false;
      await client.query('DELETE FROM messages WHERE session_id = $1 AND seq > $2', [input.sessionId, found.seq]);
      if (input.content !== undefined) {
        await client.query('UPDATE messages SET content = $1 WHERE id = $2', [input.content, input.userMessageId]);
      }
      await insertMessage(client, input.sessionId, 'assistant', input.answer.id, '', input.answer.model, input.now);
      await touchSession(client, input.sessionId, input.now);
      return true;
    });
  }

  async saveProgress(answerId: string, content: string): Promise<void> {
    await this.db.query('UPDATE messages SET content = $1 WHERE id = $2 AND finish_reason IS NULL', [content, answerId]);
  }

  async finishAnswer(answerId: string, answer: FinishedAnswer, now: string): Promise<void> {
    await this.db.transaction(async (client) => {
      const { rows } = await client.query<{ session_id: string }>('SELECT session_id FROM messages WHERE id = $1', [answerId]);
      const found = rows[0];
      if (!found) return;
      // The session's row first, as turns, replacements and deletes take it, so that one of them
      // and this end of an answer never each hold a row the other waits for.
      await client.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [found.session_id]);
      const updated = await client.query(
        `UPDATE messages SET content = $2, html = $3, reasoning = $4, model = $5, source = $6,
           finish_reason = $7, usage = $8, ttft_ms = $9, error = $10, stats = $11, sources = $12
         WHERE id = $1`,
        [
          answerId,
          answer.content,
          answer.html,
          answer.reasoning,
          answer.model,
          answer.source,
          answer.finishReason,
          answer.usage === null ? null : JSON.stringify(answer.usage),
          answer.ttftMs,
          answer.error === null ? null : JSON.stringify(answer.error),
          answer.stats ? JSON.stringify(answer.stats) : null,
          answer.sources ? JSON.stringify(answer.sources) : null,
        ],
      );
      // Replaced while this waited for the lock: the answer is gone, and its session keeps its time.
      if (updated.rowCount === 0) return;
      await touchSession(client, found.session_id, now);
    });
  }

  async renameSession(id: string, owner: string | null, title: string, now: string): Promise<SessionRecord | undefined> {
    const [row] = await this.db.query<SessionRow>(
      `UPDATE sessions s SET title = $3, updated_at = GREATEST(s.updated_at, $4)
       WHERE s.id = $1 AND ${ownedBy('s.owner', owner, 2)}
       RETURNING ${SESSION_COLUMNS}`,
      [id, owner, title, now],
    );
    return row && toSession(row);
  }

  async deleteSession(id: string, owner: string | null): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM sessions s WHERE s.id = $1 AND ${ownedBy('s.owner', owner, 2)} RETURNING s.id`,
      [id, owner],
    );
    return rows.length > 0;
  }

  async markInterrupted(): Promise<number> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE messages SET finish_reason = 'interrupted' WHERE role = 'assistant' AND finish_reason IS NULL RETURNING id`,
    );
    return rows.length;
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/** Whether the session exists and is `owner`'s, holding its row until the transaction ends. */
async function isOwners(client: Queryable, sessionId: string, owner: string | null): Promise<boolean> {
  const { rows } = await client.query<{ owner: string | null }>(
    'SELECT owner FROM sessions WHERE id = $1 FOR UPDATE',
    [sessionId],
  );
  return rows.length === 1 && rows[0]!.owner === owner;
}

async function touchSession(client: Queryable, sessionId: string, now: string): Promise<void> {
  await client.query('UPDATE sessions SET updated_at = GREATEST(updated_at, $1) WHERE id = $2', [now, sessionId]);
}

async function insertMessage(
  client: Queryable,
  sessionId: string,
  role: 'user' | 'assistant',
  id: string,
  content: string,
  model: string | null,
  now: string,
): Promise<void> {
  await client.query(
    'INSERT INTO messages (id, session_id, role, content, model, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, sessionId, role, content, model, now],
  );
}
