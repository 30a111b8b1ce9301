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
