import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { CapacityError } from '../errors';
import { plural } from '../util/plural';
import { rawJsonResponse } from './raw-json-response';

/**
 * Caps the open connections of each client address, so one client trickling headers on many
 * sockets (slowloris) cannot take every connection the server has. A connection over the cap
 * gets a 503 and is closed before any request on it is read. `limit` 0 turns the cap off.
 */
export function limitConnectionsPerClient(server: Server, limit: number): void {
  if (limit === 0) return;
  const open = new Map<string, number>();
  const refusal = rawJsonResponse(
    new CapacityError(
      `This address already has ${plural(limit, 'connection')} open, its limit. Close some and try again.`,
      'too_many_connections',
    ),
  );
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > limit) {
      // A fresh socket takes these few bytes at once; destroying it right away, rather than
      // after `end`, keeps the parser from ever handing a request on it to the app.
      socket.end(refusal);
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
