import { io } from 'socket.io-client';
import type { Printer, StreamArgs } from './stream';

/**
 * `npm run stream -- --socket`: the same answer over Socket.IO. Resolves with the exit code:
 * 0 after chat_complete, 2 after chat_stream_error, 1 when the server cannot be reached.
 */
export function streamOverSocket(args: StreamArgs, print: Printer): Promise<number> {
  return new Promise((resolve) => {
    const socket = io(args.url, {
      transports: ['websocket'],
      reconnection: false,
      ...(args.token ? { auth: { token: args.token } } : {}),
    });
    const finish = (code: number) => {
      socket.disconnect();
      resolve(code);
    };
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      // A refusal carries a code; no code means nothing answered.
      const refused = error.data?.code;
      const detail = refused ? `${refused}: ${error.message}` : error.message;
      const hint = refused ? '' : ' Is the server running? Start it with: npm start';
      process.stderr.write(`Could not open a socket to ${args.url} (${detail}).${hint}\n`);
      finish(1);
    });
    socket.on('chat_start', (data: Record<string, any>) => print.start(data));
    socket.on('chat_token', (data: Record<string, any>) => print.token(data.token, data.html.append));
    socket.on('chat_complete', (data: Record<string, any>) => finish(print.complete(data)));
    socket.on('chat_stream_error', (data: Record<string, any>) => finish(print.error(data)));
    socket.on('connect', () => {
      socket.emit('chat_stream', { message: args.message, model: args.model, session_id: args.session });
    });
  });
}
