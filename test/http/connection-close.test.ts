import type { Server } from 'node:http';
import { buildTestApp } from '../helpers/test-app';
import { close, listen, parseResponse, rawExchange } from '../helpers/raw-http';

let server: Server;
let port: number;
beforeAll(async () => {
  ({ server, port } = await listen(buildTestApp().app));
});
afterAll(() => close(server));

const body = '{"message":"Hi"}';
const streamRequest = (connection: string, version = '1.1') =>
  `POST /api/chat/stream HTTP/${version}\r\nHost: x\r\n${connection}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('event streams and Connection: close', () => {
  test.each([
    ['an HTTP/1.1 client sends Connection: close', streamRequest('Connection: close\r\n')],
    ['an HTTP/1.0 client does not ask to keep the connection', streamRequest('', '1.0')],
  ])('when %s, then the stream says Connection: close and the server closes the socket after it', async (_case, bytes) => {
    const { raw, closedByServer } = await rawExchange(port, bytes, 10_000);

    const res = parseResponse(raw);
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toMatch(/event: complete\n/);
    expect(closedByServer).toBe(true);
  });

  test('when the client keeps the connection, then the stream says keep-alive and the socket stays open', async () => {
    const { raw, closedByServer } = await rawExchange(port, streamRequest(''), 1500);

    const res = parseResponse(raw);
    expect(res.headers.connection).toBe('keep-alive');
    expect(res.body).toMatch(/event: complete\n/);
    expect(closedByServer).toBe(false);
  });
});
