import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postForStream } from '../../../src/providers/openrouter/post-for-stream';

/** A raw TCP server, so the test decides which bytes share one socket write. */
async function rawServer(onRequest: (socket: Socket) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.once('data', () => onRequest(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`, server };
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
const httpChunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

describe('postForStream', () => {
  test('when several chunks of a chunked body arrive in one socket read, then the reader gets them as one piece', async () => {
    const { url, server } = await rawServer((socket) => {
      socket.write(HEAD);
      setTimeout(() => {
        socket.write(httpChunk('data: one\n\n') + httpChunk('data: two\n\n') + httpChunk('data: three\n\n'));
        setTimeout(() => socket.end(httpChunk('data: four\n\n') + '0\r\n\r\n'), 30);
      }, 30);
    });
    try {
      const response = await postForStream(url, {}, '{}', new AbortController().signal);
      const pieces: string[] = [];
      for await (const bytes of response.body) pieces.push(Buffer.from(bytes).toString());

      expect(pieces).toEqual(['data: one\n\ndata: two\n\ndata: three\n\n', 'data: four\n\n']);
    } finally {
      server.close();
    }
  });

  test('when the connection breaks right after a read, then its bytes come first and the failure after them', async () => {
    const { url, server } = await rawServer((socket) => {
      socket.write(HEAD);
      setTimeout(() => {
        socket.write(httpChunk('data: one\n\n') + httpChunk('data: two\n\n'));
        socket.destroy();
      }, 30);
    });
    try {
      const response = await postForStream(url, {}, '{}', new AbortController().signal);
      const pieces: string[] = [];
      const failure = await (async () => {
        try {
          for await (const bytes of response.body) pieces.push(Buffer.from(bytes).toString());
        } catch (error) {
          return error;
        }
        return undefined;
      })();

      expect(pieces).toEqual(['data: one\n\ndata: two\n\n']);
      expect(failure).toMatchObject({ code: 'ECONNRESET' });
    } finally {
      server.close();
    }
  });
});
