import type { VoteStore } from '../compare/vote-store';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import type { ConversationStore } from './conversation-store';
import type { DocumentStore } from './document-store';
import { PostgresConversationStore } from './postgres/postgres-conversation-store';
import { PostgresDatabase, type DatabaseHealth } from './postgres/postgres-database';
import { PostgresDocumentStore } from './postgres/postgres-document-store';
import { PostgresVoteStore } from './postgres/postgres-vote-store';
import { SqliteConversationStore } from './sqlite/sqlite-conversation-store';
import { SqliteDocumentStore } from './sqlite/sqlite-document-store';
import { SqliteVoteStore } from './sqlite/sqlite-vote-store';

export interface StoreFactory {
  conversations(): ConversationStore;
  votes(): VoteStore;
  /** Documents and their index, on the same engine as conversations (so shared by every instance on PostgreSQL). */
  documents(): DocumentStore;
  /**
   * Resolves once the stores opened so far can be used; a PostgreSQL database that cannot be
   * reached or migrated rejects with a ConfigError naming DATABASE_URL (SQLite opens synchronously,
   * so its errors come from the factories themselves).
   */
  ready(): Promise<void>;
  /** How PostgreSQL is, for `/health`; absent on SQLite, a file that is there or not at start. */
  health?: () => Promise<DatabaseHealth>;
}

/**
 * The engine the config names: PostgreSQL at `DATABASE_URL` (one pool for every store, opened
 * on first use), else the SQLite file at `DATABASE_PATH` (a connection per store).
 */
export function openStores(storage: Config['storage'], logger?: Logger): StoreFactory {
  const { databaseUrl } = storage;
  if (databaseUrl === undefined) {
    return {
      conversations: () => new SqliteConversationStore(storage.databasePath),
      votes: () => new SqliteVoteStore(storage.databasePath),
      documents: () => new SqliteDocumentStore(storage.databasePath),
      ready: async () => undefined,
    };
  }
  let db: PostgresDatabase | undefined;
  const database = () =>
    (db ??= new PostgresDatabase({
      url: databaseUrl,
      poolSize: storage.poolSize,
      connectTimeoutMs: storage.connectTimeoutMs,
      logger,
    }));
  return {
    conversations: () => new PostgresConversationStore(database()),
    votes: () => new PostgresVoteStore(database()),
    documents: () => new PostgresDocumentStore(database()),
    ready: async () => db?.migrated(),
    health: () => database().health(),
  };
}
