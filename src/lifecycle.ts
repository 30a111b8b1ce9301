/**
 * Whether the server is shutting down. `server.ts` flips it on SIGTERM/SIGINT; the app then
 * turns away requests that would start an answer with 503 shutting_down.
 */
export class Lifecycle {
  private shuttingDown = false;

  get stopping(): boolean {
    return this.shuttingDown;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }
}
