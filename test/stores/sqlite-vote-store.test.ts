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
  test('when votes are added, then all() returns them in the order cast, every field intact', () => {
    const store = new SqliteVoteStore(freshDatabasePath());
    expect(store.add(vote('c1', 'tie'))).toBe(true);
    expect(store.add(vote('c2', 'both_bad'))).toBe(true);
    expect(store.all()).toEqual([vote('c1', 'tie'), vote('c2', 'both_bad')]);
    store.close();
  });

  test('when a compare is voted on twice, then the second add returns false and the first vote stands', () => {
    const store = new SqliteVoteStore(freshDatabasePath());
    store.add(vote('c1', 'A'));
    expect(store.add(vote('c1', 'B'))).toBe(false);
    expect(store.all().map((v) => v.winner)).toEqual(['A']);
    store.close();
  });

  test('when the file is opened again, then the votes are still there and the migration is not applied twice', () => {
    const path = freshDatabasePath();
    const first = new SqliteVoteStore(path);
    first.add(vote('c1'));
    first.close();
    const second = new SqliteVoteStore(path);
    expect(second.all()).toEqual([vote('c1')]);
    second.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'sessions and messages' },
      { version: 2, name: 'compare votes' },
      { version: 3, name: 'answer stats' },
      { version: 4, name: 'documents and their index' },
      { version: 5, name: 'answer sources' },
    ]);
    raw.close();
  });

  test('when a row holds a winner that is not an outcome, then SQLite refuses it', () => {
    const path = freshDatabasePath();
    new SqliteVoteStore(path).close();
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
