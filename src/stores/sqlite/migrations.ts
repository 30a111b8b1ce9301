/** One step of the schema. Versions only grow; a released migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and messages',
    sql: `
      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        owner      TEXT,
        title      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX sessions_by_owner_updated ON sessions (owner, updated_at DESC, id DESC);

      CREATE TABLE messages (
        -- The order of a session's messages; ids are the stream ids and say nothing of order.
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role          TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content       TEXT NOT NULL,
        html          TEXT,
        reasoning     TEXT,
        model         TEXT,
        source        TEXT,
        finish_reason TEXT,
        usage         TEXT,
        ttft_ms       REAL,
        error         TEXT,
        created_at    TEXT NOT NULL
      );
      CREATE INDEX messages_by_session ON messages (session_id, seq);
      -- Found at start: answers a dead process left streaming.
      CREATE INDEX messages_streaming ON messages (role) WHERE role = 'assistant' AND finish_reason IS NULL;
    `,
  },
  {
    version: 2,
    name: 'compare votes',
    sql: `
      CREATE TABLE compare_votes (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        -- One vote per compare: a second one is refused by this key.
        compare_id TEXT NOT NULL UNIQUE,
        owner      TEXT,
        prompt     TEXT NOT NULL,
        model_a    TEXT NOT NULL,
        model_b    TEXT NOT NULL,
        answer_a   TEXT NOT NULL,
        answer_b   TEXT NOT NULL,
        winner     TEXT NOT NULL CHECK (winner IN ('A', 'B', 'tie', 'both_bad')),
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'answer stats',
    // A stored answer's footer shows its speed and thinking time as the live one did (JSON).
    sql: 'ALTER TABLE messages ADD COLUMN stats TEXT;',
  },
  {
    version: 4,
    name: 'documents and their index',
    sql: `
      CREATE TABLE documents (
        id         TEXT PRIMARY KEY,
        owner      TEXT,
        name       TEXT NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('pdf', 'txt', 'md', 'html')),
        size       INTEGER NOT NULL,
        pages      INTEGER NOT NULL,
        chunks     INTEGER NOT NULL,
        characters INTEGER NOT NULL,
        -- 0 while its passages are written in batches: such a document is neither listed nor searched.
        ready      INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX documents_by_owner ON documents (owner, created_at DESC, id);

      CREATE TABLE document_chunks (
        id           INTEGER PRIMARY KEY,
        document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        page         INTEGER NOT NULL,
        -- The heading path, joined with ' > ' (searched) and as a JSON array (shown).
        heading      TEXT NOT NULL,
        heading_path TEXT NOT NULL,
        text         TEXT NOT NULL,
        -- float32 little-endian, when EMBEDDINGS_MODEL is set.
        embedding    BLOB,
        UNIQUE (document_id, idx)
      );

      -- BM25 over the passages' headings and text; the passages table holds the text itself.
      CREATE VIRTUAL TABLE document_chunks_fts USING fts5(
        heading, text, content = 'document_chunks', content_rowid = 'id', tokenize = 'porter unicode61'
      );
      CREATE TRIGGER document_chunks_ai AFTER INSERT ON document_chunks BEGIN
        INSERT INTO document_chunks_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
      END;
      CREATE TRIGGER document_chunks_ad AFTER DELETE ON document_chunks BEGIN
        INSERT INTO document_chunks_fts (document_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
      END;
    `,
  },
  {
    version: 5,
    name: 'answer sources',
    // A grounded answer's `sources` event (JSON, the array as sent), so its [n] citations still open their passages after a reload.
    sql: 'ALTER TABLE messages ADD COLUMN sources TEXT;',
  },
  {
    version: 6,
    name: 'documents on PostgreSQL',
    // PostgreSQL's 6 creates its documents tables; SQLite has had them since 4. This one only
    // keeps the numbers of both engines aligned.
    sql: 'SELECT 1;',
  },
];
