import request from 'supertest';
import { loadConfig } from '../../src/config/load-config';
import { PostgresConversationStore } from '../../src/stores/postgres/postgres-conversation-store';
import { PostgresDocumentStore } from '../../src/stores/postgres/postgres-document-store';
import { PostgresVoteStore } from '../../src/stores/postgres/postgres-vote-store';
import { openStores } from '../../src/stores/open-stores';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store';
import { SqliteDocumentStore } from '../../src/stores/sqlite/sqlite-document-store';
import { SqliteVoteStore } from '../../src/stores/sqlite/sqlite-vote-store';
import { usePostgres } from '../helpers/postgres-server';
import { buildTestApp, closeTestApp } from '../helpers/test-app';

const pg = usePostgres();

const at = (second: number) => () => new Date(Date.UTC(2026, 0, 1, 10, 0, second));

describe('openStores', () => {
  test('when DATABASE_URL is unset, then every store is SQLite', async () => {
    const stores = openStores(loadConfig({ NODE_ENV: 'test' }).storage);
    const [conversations, votes, documents] = [stores.conversations(), stores.votes(), stores.documents()];

    await stores.ready();
    expect(conversations).toBeInstanceOf(SqliteConversationStore);
    expect(votes).toBeInstanceOf(SqliteVoteStore);
    expect(documents).toBeInstanceOf(SqliteDocumentStore);
    await Promise.all([conversations.close(), votes.close(), documents.close()]);
  });

  test('when DATABASE_URL is set, then every store is PostgreSQL on one pool, ended when all close', async () => {
    const stores = openStores(loadConfig({ NODE_ENV: 'test', DATABASE_URL: await pg().freshUrl() }).storage);
    const [conversations, votes, documents] = [stores.conversations(), stores.votes(), stores.documents()];
    expect(conversations).toBeInstanceOf(PostgresConversationStore);
    expect(votes).toBeInstanceOf(PostgresVoteStore);
    expect(documents).toBeInstanceOf(PostgresDocumentStore);
    await stores.ready();

    await conversations.close();
    await votes.close();
    expect(await documents.list(null)).toEqual([]);
    await documents.close();
    await expect(documents.list(null)).rejects.toMatchObject({ code: 'storage_unavailable' });
  });

  test('when DATABASE_URL cannot be reached, then ready() rejects with a ConfigError naming it', async () => {
    const url = 'postgres://chat@127.0.0.1:1/chat';
    const stores = openStores(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '1000' }).storage);
    const conversations = stores.conversations();

    await expect(stores.ready()).rejects.toThrow(/^Could not prepare the PostgreSQL database DATABASE_URL=postgres:\/\/chat@127\.0\.0\.1:1\/chat: /);
    await conversations.close();
  });

  test('when a conversation is written through one instance on DATABASE_URL, then another reads the same bytes', async () => {
    const env = { DATABASE_URL: await pg().freshUrl() };
    const one = buildTestApp(env, { now: at(1) });
    const two = buildTestApp(env, { now: at(2) });
    try {
      await one.store.markInterrupted();
      const answer = await request(one.app).post('/api/chat').send({ message: 'Hello there', session_id: 'shared' });
      expect(answer.status).toBe(200);

      const fromOne = await request(one.app).get('/api/chat/sessions/shared/messages');
      const fromTwo = await request(two.app).get('/api/chat/sessions/shared/messages');

      expect(fromTwo.status).toBe(200);
      expect(fromTwo.text).toBe(fromOne.text);
      expect(fromTwo.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
      expect(fromTwo.body.messages[0].content).toBe('Hello there');
      expect(fromTwo.body.messages[1]).toMatchObject({ id: answer.body.id, content: answer.body.response, html: answer.body.html });
      // Stored as written: the usage keys keep their order, so the bytes match SQLite's.
      expect(JSON.stringify(fromTwo.body.messages[1].usage)).toBe(JSON.stringify(answer.body.usage));
    } finally {
      await closeTestApp(one);
      await closeTestApp(two);
    }
  });

  test('when a document is uploaded through one instance on DATABASE_URL, then another lists it and grounds an answer on it', async () => {
    const env = { DATABASE_URL: await pg().freshUrl() };
    const one = buildTestApp(env);
    const two = buildTestApp(env);
    try {
      const uploaded = await request(one.app)
        .post('/api/documents')
        .attach('file', Buffer.from('# Leave\n\n## Annual leave\n\nEvery employee has 25 days of annual leave a year.\n'), 'handbook.md');
      expect(uploaded.status).toBe(201);

      const listed = await request(two.app).get('/api/documents');
      const answer = await request(two.app).post('/api/chat').send({ message: 'How many days of annual leave?', documents: 'all' });

      expect(listed.body.documents).toEqual(uploaded.body.documents);
      expect(answer.status).toBe(200);
      expect(answer.body.sources).toEqual([
        {
          n: 1, document_id: 'id-1', name: 'handbook.md', page: 1, heading: 'Leave > Annual leave', chunk: 0,
          snippet: 'Every employee has 25 days of annual leave a year.', score: answer.body.sources[0].score,
        },
      ]);
      expect(answer.body.sources[0].score).toBeGreaterThan(0);
    } finally {
      await closeTestApp(one);
      await closeTestApp(two);
    }
  });
});
