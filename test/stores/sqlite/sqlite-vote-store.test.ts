import BetterSqlite3 from 'better-sqlite3';
import { SqliteVoteStore } from '../../../src/stores/sqlite/sqlite-vote-store';
import { freshDatabasePath } from '../../helpers/test-app';
import { describeVoteStore, vote } from '../vote-store-suite';

describeVoteStore('SQLite file', () => {
  const file = freshDatabasePath();
  return { open: async () => new SqliteVoteStore(file), cleanup: async () => undefined };
});

describe('SqliteVoteStore', () => {
  test('when the file is opened again, then the migrations are not applied twice', async () => {
    const path = freshDatabasePath();
    const first = new SqliteVoteStore(path);
    await first.add(vote('c1'));
    await first.close();
    await new SqliteVoteStore(path).close();
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'sessions and messages' },
      { version: 2, name: 'compare votes' },
      { version: 3, name: 'answer stats' },
      { version: 4, name: 'documents and their index' },
      { version: 5, name: 'answer sources' },
      { version: 6, name: 'documents on PostgreSQL' },
    ]);
    raw.close();
  });

  test('when a row holds a winner that is not an outcome, then SQLite refuses it', async () => {
    const path = freshDatabasePath();
    await new SqliteVoteStore(path).close();
    const raw = new BetterSqlite3(path);
    expect(() =>
      raw
        .prepare(
          "INSERT INTO compare_votes (compare_id, prompt, model_a, model_b, answer_a, answer_b, winner, created_at) VALUES ('c', 'p', 'x', 'y', 'a', 'b', 'C', 't')",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    raw.close();
  });
});
