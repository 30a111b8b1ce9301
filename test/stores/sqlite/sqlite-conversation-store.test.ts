import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../../src/errors';
import { SqliteConversationStore } from '../../../src/stores/sqlite/sqlite-conversation-store';
import { describeConversationStore, finished, turn } from '../conversation-store-suite';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'chat-store-'));
}

describeConversationStore('SQLite file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'chat.db');
  return {
    open: async () => new SqliteConversationStore(file),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteConversationStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('when the file’s folder does not exist, then it is created with the database in it', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'chat.db');

    const store = new SqliteConversationStore(file);
    await store.close();

    expect(existsSync(file)).toBe(true);
  });

  test('when opened, then the database is in WAL mode with foreign keys on and each migration recorded once', async () => {
    const file = path.join(dir, 'chat.db');
    await new SqliteConversationStore(file).close();
    await new SqliteConversationStore(file).close();

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
        { version: 1, name: 'sessions and messages' },
        { version: 2, name: 'compare votes' },
        { version: 3, name: 'answer stats' },
        { version: 4, name: 'documents and their index' },
        { version: 5, name: 'answer sources' },
        { version: 6, name: 'documents on PostgreSQL' },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('sessions', 'messages') ORDER BY name").pluck().all()).toEqual([
        'messages',
        'sessions',
      ]);
    } finally {
      db.close();
    }
  });

  test('when a message names a session that does not exist, then foreign keys refuse it', async () => {
    const file = path.join(dir, 'chat.db');
    await new SqliteConversationStore(file).close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    try {
      expect(() =>
        db.prepare("INSERT INTO messages (id, session_id, role, content, created_at) VALUES ('m', 'none', 'user', 'x', 'now')").run(),
      ).toThrow('FOREIGN KEY constraint failed');
    } finally {
      db.close();
    }
  });

  test('when a session is deleted, then none of its text is left in the database file or its WAL', async () => {
    const file = path.join(dir, 'chat.db');
    const store = new SqliteConversationStore(file);
    const secret = 'PINEAPPLE-SECRET-41';
    await store.startTurn(turn(1, { title: `About ${secret}`, user: { id: 'u-1', content: `My ${secret} question` } }));
    await store.finishAnswer('a-1', finished(`The ${secret} answer`), '2026-01-01T10:00:01.000Z');
    await store.startTurn(turn(2, { sessionId: 'kept', title: 'Kept' }));
    const before = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`)]);
    expect(before.includes(secret)).toBe(true);

    expect(await store.deleteSession('s-1', null)).toBe(true);

    const after = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    expect(after.includes(secret)).toBe(false);
    expect((await store.listMessages('kept', null))!.map((m) => m.id)).toEqual(['u-2', 'a-2']);
    await store.close();
  });

  test('when the folder cannot be made, then a ConfigError says to fix DATABASE_PATH', () => {
    writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const file = path.join(dir, 'a-file', 'chat.db');

    const open = () => new SqliteConversationStore(file);

    expect(open).toThrow(ConfigError);
    expect(open).toThrow(
      new RegExp(`^Could not open the database DATABASE_PATH="${file}": .+\\. Point DATABASE_PATH at a SQLite file in a folder this process can write, or use :memory: to keep nothing\\.$`),
    );
  });

  test('when the file is not a database, then a ConfigError names it', () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'x'.repeat(4096));

    expect(() => new SqliteConversationStore(file)).toThrow(`Could not open the database DATABASE_PATH="${file}": file is not a database.`);
  });

  test('when the path is :memory:, then the store works and writes no file', async () => {
    const store = new SqliteConversationStore(':memory:');
    await store.startTurn(turn(1));

    expect((await store.getSession('s-1', null))!.messageCount).toBe(2);
    await store.close();
  });
});
