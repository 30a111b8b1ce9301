import request from 'supertest';
import { buildTestApp } from '../helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  test('when the caller sends a short token of safe characters, then it is returned as is', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/health').set('X-Request-Id', 'edge-01.trace:AbC_9-x');
    expect(res.headers['x-request-id']).toBe('edge-01.trace:AbC_9-x');
  });

  test('when the caller sends none, then a new UUID is returned, a different one each time', async () => {
    const { app } = buildTestApp();
    const first = await request(app).get('/health');
    const second = await request(app).get('/health');
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  test.each([
    ['too long', 'a'.repeat(65)],
    ['with spaces', 'a b'],
    ['with quotes', 'a"b'],
    ['with a newline escape', 'a%0Ab'],
    ['with braces', '{id}'],
  ])('when the offered id is %s, then it is replaced by a new UUID', async (_what, offered) => {
    const { app } = buildTestApp();
    const res = await request(app).get('/health').set('X-Request-Id', offered);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  test('when a request is refused with an error, then the response still carries its id', async () => {
    const { app } = buildTestApp();
    const res = await request(app).post('/api/chat').set('X-Request-Id', 'r-1').send({});
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('r-1');
  });
});
