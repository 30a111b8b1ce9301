import { Client } from 'pg';
import { PostgresVoteStore } from '../../../src/stores/postgres/postgres-vote-store';
import { usePostgres } from '../../helpers/postgres-server';
import { describeVoteStore, vote } from '../vote-store-suite';
import { openDatabase, postgresBackend } from './postgres-stores';

const pg = usePostgres();

describeVoteStore('PostgreSQL', () => postgresBackend(pg, (db) => new PostgresVoteStore(db)));

describe('PostgresVoteStore', () => {
  test('when two instances vote on the same compare at once, then exactly one vote is kept', async () => {
    const url = await pg().freshUrl();
    const [one, two] = [new PostgresVoteStore(openDatabase(url)), new PostgresVoteStore(openDatabase(url))];

    const added = await Promise.all([one.add(vote('c1', 'A')), two.add(vote('c1', 'B'))]);

    expect(added.filter(Boolean)).toEqual([true]);
    expect((await one.all()).map((v) => v.winner)).toEqual([added[0] ? 'A' : 'B']);
    await Promise.all([one.close(), two.close()]);
  });

  test('when a row holds a winner that is not an outcome, then PostgreSQL refuses it', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresVoteStore(openDatabase(url));
    await store.all();
    await store.close();
    const raw = new Client({ connectionString: url });
    await raw.connect();
    try {
      await expect(
        raw.query(
          "INSERT INTO compare_votes (compare_id, prompt, model_a, model_b, answer_a, answer_b, winner, created_at) VALUES ('c', 'p', 'x', 'y', 'a', 'b', 'C', 't')",
        ),
      ).rejects.toThrow('new row for relation "compare_votes" violates check constraint "compare_votes_winner_check"');
    } finally {
      await raw.end();
    }
  });
});
