import type { Migration } from '../sqlite/migrations';

/**
 * The SQLite migrations in PostgreSQL's dialect: the same versions and names, so one
 * `schema_migrations` history means the same schema on either engine. Times stay ISO 8601
 * text in the "C" collation, as in SQLite, so they round-trip exactly and sort (and page) the
 * same way. Usage and errors are \`json\`, not \`jsonb\`: it keeps the text as written, so their
 * keys come back in the order SQLite gives them and responses are the same bytes on both.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and messages',
    sql: `
      CREATE TABLE sessions (
        id         TEXT COLLATE "C" PRIMARY KEY,
        owner      TEXT COLLATE "C",
        title      TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX sessions_by_owner_updated ON sessions (owner, updated_at DESC, id DESC);

      CREATE TABLE messages (
        -- The order of a session's messages; ids are the stream ids and say nothing of order.
        seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id            TEXT COLLATE "C" NOT NULL UNIQUE,
        session_id    TEXT COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role          TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content       TEXT NOT NULL,
        html          TEXT,
        reasoning     TEXT,
        model         TEXT,
        source        TEXT,
        finish_reason TEXT,
        usage         JSON,
        ttft_ms       DOUBLE PRECISION,
        error         JSON,
        created_at    TEXT COLLATE "C" NOT NULL
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
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- One vote per compare: a second one is refused by this key.
        compare_id TEXT COLLATE "C" NOT NULL UNIQUE,
        owner      TEXT COLLATE "C",
        prompt     TEXT NOT NULL,
        model_a    TEXT NOT NULL,
        model_b    TEXT NOT NULL,
        answer_a   TEXT NOT NULL,
        answer_b   TEXT NOT NULL,
        winner     TEXT NOT NULL CHECK (winner IN ('A', 'B', 'tie', 'both_bad')),
        created_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'answer stats',
    // Tokens, tok/s and thinking time of an ended answer, as SQLite's 3.
    sql: 'ALTER TABLE messages ADD COLUMN stats JSON;',
  },
  {
    version: 4,
    name: 'documents and their index',
    // SQLite's 4 creates the documents tables and changes nothing in conversations; documents
    // came to PostgreSQL later, in 6 (a released migration is never edited), so this one only
    // keeps the numbers of both engines aligned.
    sql: 'SELECT 1;',
  },
  {
    version: 5,
    name: 'answer sources',
    // The passages an answer was given (a JSON array), for SQLite's 5 when it lands: nullable, as
    // every answer before it has none.
    sql: 'ALTER TABLE messages ADD COLUMN sources JSON;',
  },
  {
    version: 6,
    name: 'documents on PostgreSQL',
    // SQLite's documents tables (its 4), for documents every instance shares. The full-text
    // column is written by the store from its own word splitting (postgres/search-words.ts), not
    // generated from the text: PostgreSQL's parser reads "config.yaml" or "a@b.com" as one token
    // where SQLite's unicode61 and the question's words see two. The configuration stems English
    // as SQLite's porter does ("days" finds "day") and, like it, drops no word as a stop word.
    sql: `
      CREATE TEXT SEARCH DICTIONARY document_stem (TEMPLATE = snowball, Language = english);
      CREATE TEXT SEARCH CONFIGURATION document_search (COPY = simple);
      ALTER TEXT SEARCH CONFIGURATION document_search ALTER MAPPING FOR asciiword, word WITH document_stem;

      CREATE TABLE documents (
        -- The order of upload, for newest first among documents of the same time.
        seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id         TEXT COLLATE "C" PRIMARY KEY,
        owner      TEXT COLLATE "C",
        name       TEXT NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('pdf', 'txt', 'md', 'html')),
        size       INTEGER NOT NULL,
        pages      INTEGER NOT NULL,
        chunks     INTEGER NOT NULL,
        characters INTEGER NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX documents_by_owner ON documents (owner, created_at DESC, seq DESC);

      CREATE TABLE document_chunks (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id  TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        page         INTEGER NOT NULL,
        -- The heading path as a JSON array, as written (shown).
        heading_path TEXT NOT NULL,
        text         TEXT NOT NULL,
        -- The heading's words weighted A, the text's B: ts_rank is given A = 2 × B, as SQLite's bm25 weights.
        search       TSVECTOR NOT NULL,
        UNIQUE (document_id, idx)
      );
      CREATE INDEX document_chunks_search ON document_chunks USING GIN (search);

      CREATE TABLE document_vectors (
        chunk_id    BIGINT PRIMARY KEY REFERENCES document_chunks (id) ON DELETE CASCADE,
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        -- float32 little-endian, when EMBEDDINGS_MODEL is set: the bytes SQLite keeps.
        vector      BYTEA NOT NULL
      );
      CREATE INDEX document_vectors_by_document ON document_vectors (document_id);
    `,
  },
];
