import BetterSqlite3 from 'better-sqlite3';
import type { VoteRecord } from '../../src/compare/vote-store';
import { SqliteVoteStore } from '../../src/stores/sqlite/sqlite-vote-store';
import { freshDatabasePath } from '../helpers/test-app';

const vote = (compareId: string, winner: VoteRecord['winner'] = 'A'): VoteRecord => ({
  compareId,
  owner: 'alice',
  prompt: 'Which is better?',
  modelA: 'x',
  modelB: 'y',
  answerA: 'Answer **A**',
  answerB: 'Answer B',
  winner,
  createdAt: '2026-12-07T12:00:00.000Z',
});

describe('SqliteVoteStore', () => {
  test('when votes are added, then all() returns them in the order cast, every field intact', async () => {
    const store = new SqliteVoteStore(freshDatabasePath());
    expect(await store.add(vote('c1', 'tie'))).toBe(true);
    expect(await store.add(vote('c2', 'both_bad'))).toBe(true);
    expect(await store.all()).toEqual([vote('c1', 'tie'), vote('c2', 'both_bad')]);
    await store.close();
  });

  test('when a compare is voted on twice, then the second add returns false and the first vote stands', async () => {
    const store = new SqliteVoteStore(freshDatabasePath());
    await store.add(vote('c1', 'A'));
    expect(await store.add(vote('c1', 'B'))).toBe(false);
    expect((await store.all()).map((v) => v.winner)).toEqual(['A']);
    await store.close();
  });

  test('when the file is opened again, then the votes are still there and the migration is not applied twice', async () => {
    const path = freshDatabasePath();
    const first = new SqliteVoteStore(path);
    await first.add(vote('c1'));
    await first.close();
    const second = new SqliteVoteStore(path);
    expect(await second.all()).toEqual([vote('c1')]);
    await second.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'sessions and messages' },
      { version: 2, name: 'compare votes' },
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
