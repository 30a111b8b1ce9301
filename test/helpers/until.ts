import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `holds()` is true, checking every 20 ms; the test's own timeout bounds the wait. */
export async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await sleep(20);
}
