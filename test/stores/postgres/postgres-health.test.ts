import { connect, createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { healthSchema } from '../../../src/openapi/response-schemas';
import { type DatabaseHealth, PostgresDatabase } from '../../../src/stores/postgres/postgres-database';
import { usePostgres } from '../../helpers/postgres-server';
import { buildTestApp, closeTestApp } from '../../helpers/test-app';
import { setTimeout as sleep } from 'node:timers/promises';

const pg = usePostgres();

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('/health with DATABASE_URL', () => {
  test('when PostgreSQL answers, then /health says it is up in its documented shape', async () => {
    const t = buildTestApp({ DATABASE_URL: await pg().freshUrl() });
    try {
      // The server listens once the migrations ran; so does this test ask.
      await t.store.listSessions(null, { limit: 1 });
      const res = await request(t.app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: { engine: 'postgresql', status: 'up' } });
      expect(res.body.database).toEqual({ engine: 'postgresql', status: 'up' });
      expect(healthSchema.safeParse(res.body).error?.issues).toBeUndefined();
    } finally {
      await closeTestApp(t);
    }
  });

  test('when nothing answers at DATABASE_URL, then /health is degraded and says why, without the password', async () => {
    const t = buildTestApp({ DATABASE_URL: `postgres://chat:hunter2@127.0.0.1:${await closedPort()}/chat` });
    try {
      // Before the first attempt fails /health says only that it has not reached the database
      // (the server itself does not listen until it has).
      let res = await request(t.app).get('/health');
      while (!String(res.body.database?.error).includes('ECONNREFUSED')) res = await request(t.app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'degraded', database: { engine: 'postgresql', status: 'down' } });
      expect(res.body.database.error).toEqual(expect.stringContaining('ECONNREFUSED'));
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      expect(healthSchema.safeParse(res.body).error?.issues).toBeUndefined();
    } finally {
      await closeTestApp(t);
    }
  });

  test('when the database is SQLite, then /health has no database field', async () => {
    const t = buildTestApp();
    try {
      const res = await request(t.app).get('/health');
      expect(res.body).toMatchObject({ status: 'ok' });
      expect(res.body).not.toHaveProperty('database');
    } finally {
      await closeTestApp(t);
    }
  });
});

/**
 * A TCP relay to the real PostgreSQL server that can be cut (connections refused, open ones
 * dropped) and restored on the same port: the database as the app sees it when it goes away.
 */
async function relayTo(target: string): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(targetPort), hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
    });
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  };
  const port = await listen(0);
  const url = new URL(target);
  url.port = String(port);
  return { url: url.toString(), cut: stop, restore: async () => void (await listen(port)), close: stop };
}

/** What `health()` settles to before the event loop turns once, or `waited` if it needed longer. */
async function healthWithoutWaiting(db: PostgresDatabase): Promise<DatabaseHealth | 'waited'> {
  return Promise.race([db.health(), new Promise<'waited'>((resolve) => setImmediate(() => resolve('waited')))]);
}

describe('PostgreSQL health from a background probe', () => {
  test('when PostgreSQL goes away, then health() says down without waiting on it, and up again within a probe interval once it is back', async () => {
    const relay = await relayTo(await pg().freshUrl());
    const db = new PostgresDatabase({ url: relay.url, poolSize: 2, connectTimeoutMs: 500, healthProbeMs: 100 });
    const release = db.use();
    try {
      await db.migrated();
      expect(await healthWithoutWaiting(db)).toEqual({ engine: 'postgresql', status: 'up' });

      await relay.cut();
      while ((await db.health()).status !== 'down') await sleep(20);
      const down = await healthWithoutWaiting(db);
      expect(down).toEqual({ engine: 'postgresql', status: 'down', error: expect.any(String) });

      await relay.restore();
      while ((await db.health()).status !== 'up') await sleep(20);
      expect(await healthWithoutWaiting(db)).toEqual({ engine: 'postgresql', status: 'up' });
    } finally {
      await release();
      await relay.close();
    }
  });

  test('when PostgreSQL goes away, then the app\'s /health answers degraded with database down, and ok once it is back', async () => {
    const relay = await relayTo(await pg().freshUrl());
    const t = buildTestApp({ DATABASE_URL: relay.url });
    try {
      await t.store.listSessions(null, { limit: 1 });
      expect((await request(t.app).get('/health')).body.database).toEqual({ engine: 'postgresql', status: 'up' });

      await relay.cut();
      let res = await request(t.app).get('/health');
      while (res.body.database.status !== 'down') res = await request(t.app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'degraded', database: { engine: 'postgresql', status: 'down' } });
      expect(healthSchema.safeParse(res.body).error?.issues).toBeUndefined();

      await relay.restore();
      while (res.body.database.status !== 'up') res = await request(t.app).get('/health');
      expect(res.body).toMatchObject({ status: 'ok', database: { engine: 'postgresql', status: 'up' } });
    } finally {
      await closeTestApp(t);
      await relay.close();
    }
  }, 20_000);
});

