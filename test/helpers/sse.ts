export interface Frame {
  event?: string;
  id?: string;
  data: string;
}

/** Splits an event-stream body into frames (comments dropped), for assertions. */
export function parseFrames(body: string): Frame[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: Frame = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 2);
        if (field === 'event') frame.event = value;
        else if (field === 'id') frame.id = value;
        else if (field === 'data') data.push(value);
      }
      frame.data = data.join('\n');
      return frame;
    })
    .filter((frame) => frame.event !== undefined || frame.data !== '');
}

export function framesOf(body: string): Array<{ event: string; id?: string; data: any }> {
  return parseFrames(body).map((f) => ({ event: f.event ?? 'message', ...(f.id ? { id: f.id } : {}), data: JSON.parse(f.data) }));
}

/** The body with every `elapsed_ms` (which depends on the machine's speed) read as N, so the rest can be compared byte for byte. */
export function withoutTimings(body: string): string {
  return body.replace(/"elapsed_ms":\d+/g, '"elapsed_ms":N');
}

/** The progress frames an upstream answer starts with, as `withoutTimings` leaves them. */
export const CONNECTING_FRAME = (id: number) =>
  `event: progress\nid: ${id}\ndata: {"stage":"connecting","message":"Connecting to the model…","elapsed_ms":N}\n\n`;
export const WAITING_FRAME = (id: number) =>
  `event: progress\nid: ${id}\ndata: {"stage":"waiting","message":"Waiting for the model…","elapsed_ms":N}\n\n`;
export const GENERATING_FRAME = (id: number) =>
  `event: progress\nid: ${id}\ndata: {"stage":"generating","message":"Responding…","elapsed_ms":N}\n\n`;
