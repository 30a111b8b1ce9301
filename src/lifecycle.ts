/**
 * Whether the server is shutting down. `server.ts` flips it on SIGTERM/SIGINT; the app then
 * turns away requests that would start an answer, and a `POST /api/chat` cut short says why.
 */
export class Lifecycle {
  private stoppingSince: number | undefined;

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  beginShutdown(): void {
    this.stoppingSince ??= Date.now();
  }
}
