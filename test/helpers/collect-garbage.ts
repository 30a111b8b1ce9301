import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A fresh context sees `gc` once the flag is set, whatever flags jest started with.
const gc = runInNewContext('gc') as () => void;

/** Runs full garbage collections until the heap stops shrinking; returns what it then holds. */
export async function settledHeapBytes(): Promise<number> {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    // A macrotask between collections lets finalizers and resolved promises let go.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 1024) return used;
    last = used;
  }
  return last;
}
