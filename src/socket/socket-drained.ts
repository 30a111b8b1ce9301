import type { Socket } from 'socket.io';
import { firstEvent } from '../util/first-event';

/** Packets queued on the connection before the relay waits for the client to take them. */
const HIGH_WATER_PACKETS = 64;

/**
 * Resolves at once while the connection keeps up, else when its queue drains or it closes: a
 * slow client holds back its own answer instead of growing the server's memory.
 */
export function socketDrained(socket: Socket): Promise<void> {
  const conn = socket.conn as unknown as { writeBuffer: unknown[]; readyState: string } & NodeJS.EventEmitter;
  if (conn.writeBuffer.length < HIGH_WATER_PACKETS || conn.readyState !== 'open') return Promise.resolve();
  return firstEvent(conn, ['drain', 'close']);
}
