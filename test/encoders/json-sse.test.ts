import type { ChatEvent } from '../../src/chat/events';
import { encodeJsonSse } from '../../src/encoders/json-sse';
import { sseFrame } from '../../src/sse/sse-frame';

const message = (id: number, content: string): ChatEvent =>
  ({ id, type: 'message', data: { content, token: content, count: id, html: { append: '', tail: `<p>${content}</p>\n` } } }) as ChatEvent;

describe('encodeJsonSse', () => {
  test('when a message is encoded, then the frame is its event, id and JSON data, byte for byte', () => {
    expect(encodeJsonSse(message(4, 'Hel'))).toBe(
      'event: message\nid: 4\ndata: {"content":"Hel","token":"Hel","count":4,"html":{"append":"","tail":"<p>Hel</p>\\n"}}\n\n',
    );
  });

  test.each([
    ['line breaks', 'a\nb\r\nc\rd'],
    ['the separators JSON leaves as they are', 'a\u2028b\u2029c'],
    ['a frame of its own in the text', 'x\n\nevent: error\ndata: {}\n\n'],
    ['nothing', ''],
  ])('when the content holds %s, then the frame is the one sseFrame makes: a single data line', (_name, content) => {
    const event = message(7, content);

    const frame = encodeJsonSse(event);

    expect(frame).toBe(sseFrame({ event: 'message', id: 7, data: JSON.stringify(event.data) }));
    expect(frame.split('\n').filter((line) => line.startsWith('data: '))).toHaveLength(1);
  });
});
