/** Keeps the event loop from running for `ms`, as a long synchronous task would. */
export function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spin: the point is to keep the event loop from running.
  }
}
