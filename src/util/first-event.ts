import type { EventEmitter } from 'node:events';

/** Resolves at the first of `events` on `emitter`, then stops listening to all of them. */
export function firstEvent(emitter: Pick<EventEmitter, 'on' | 'off'>, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const name of events) emitter.off(name, done);
      resolve();
    };
    for (const name of events) emitter.on(name, done);
  });
}
