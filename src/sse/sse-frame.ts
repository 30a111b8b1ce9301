export interface SseFields {
  event?: string;
  id?: string | number;
  /** May span lines: each line becomes its own `data:` line. */
  data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;
const HAS_LINE_BREAK = /[\r\n]/;

function singleLine(name: string, value: string): string {
  if (HAS_LINE_BREAK.test(value)) throw new Error(`An SSE ${name} cannot contain a line break`);
  return value;
}

/**
 * One SSE frame, e.g. `event: message\nid: 3\ndata: {...}\n\n`. Line breaks in `event` or
 * `id` are refused, so no value can inject a frame of its own.
 */
export function sseFrame(fields: SseFields): string {
  let frame = '';
  if (fields.event !== undefined) frame += `event: ${singleLine('event', fields.event)}\n`;
  // A number prints without line breaks; only a string id needs the check.
  if (fields.id !== undefined) frame += `id: ${typeof fields.id === 'number' ? fields.id : singleLine('id', fields.id)}\n`;
  const { data } = fields;
  // Most payloads (every JSON one) are a single line: one scan, no split, no array.
  if (!HAS_LINE_BREAK.test(data)) return `${frame}data: ${data}\n\n`;
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment line, ignored by clients; keeps proxies from closing an idle connection. */
export function sseComment(text: string): string {
  return `: ${singleLine('comment', text)}\n\n`;
}
