import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import { socketDrained } from '../../src/socket/socket-drained';

/** A socket whose engine.io connection holds `queued` packets. */
function socketWith(queued: number, readyState = 'open') {
  const conn = Object.assign(new EventEmitter(), { writeBuffer: new Array(queued).fill({}), readyState });
  return { socket: { conn } as unknown as Socket, conn };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('socketDrained', () => {
  test('when the connection keeps up, then it resolves at once', async () => {
    expect(await settled(socketDrained(socketWith(63).socket))).toBe(true);
  });

  test('when 64 packets wait, then it resolves only once the connection drains, and stops listening', async () => {
    const { socket, conn } = socketWith(64);
    const waiting = socketDrained(socket);
    expect(await settled(waiting)).toBe(false);
    conn.emit('drain');
    expect(await settled(waiting)).toBe(true);
    expect([conn.listenerCount('drain'), conn.listenerCount('close')]).toEqual([0, 0]);
  });

  test('when the connection closes while full, then it resolves too', async () => {
    const { socket, conn } = socketWith(100);
    const waiting = socketDrained(socket);
    conn.emit('close');
    expect(await settled(waiting)).toBe(true);
  });

  test('when the connection is no longer open, then it does not wait for a drain that will not come', async () => {
    expect(await settled(socketDrained(socketWith(100, 'closing').socket))).toBe(true);
  });
});
