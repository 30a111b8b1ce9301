import { createServer } from 'node:net';
import request from 'supertest';
import { healthSchema } from '../../../src/openapi/response-schemas';
import { usePostgres } from '../../helpers/postgres-server';
import { buildTestApp, closeTestApp } from '../../helpers/test-app';

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
      const res = await request(t.app).get('/health');
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
