import type { Migration } from './migrate';

/** Every schema step, numbered; add new ones at the end, never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'compare votes',
    sql: `
      CREATE TABLE compare_votes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        compare_id TEXT NOT NULL UNIQUE,
        owner TEXT,
        prompt TEXT NOT NULL,
        model_a TEXT NOT NULL,
        model_b TEXT NOT NULL,
        answer_a TEXT NOT NULL,
        answer_b TEXT NOT NULL,
        winner TEXT NOT NULL CHECK (winner IN ('A', 'B', 'tie', 'both_bad')),
        created_at TEXT NOT NULL
      );
    `,
  },
];
