import type { ChatEvent } from '../../src/chat/events';
import { encodeSocketEvent } from '../../src/encoders/socket-io';

const message: ChatEvent = {
  id: 2,
  type: 'message',
  data: { content: ' world', token: ' world', count: 2, html: { append: '', tail: '<p>Hello world</p>\n' } },
};

describe('encodeSocketEvent', () => {
  test('when no partial is asked for, then chat_token carries token, count and html only', () => {
    const frame = encodeSocketEvent(message);
    expect(frame).toEqual({ name: 'chat_token', payload: { token: ' world', count: 2, html: { append: '', tail: '<p>Hello world</p>\n' } } });
    expect(JSON.stringify(frame.payload)).toBe('{"token":" world","count":2,"html":{"append":"","tail":"<p>Hello world</p>\\n"}}');
  });

  test('when a partial is given, then it sits between count and html', () => {
    expect(JSON.stringify(encodeSocketEvent(message, 'Hello world').payload)).toBe(
      '{"token":" world","count":2,"partial":"Hello world","html":{"append":"","tail":"<p>Hello world</p>\\n"}}',
    );
  });

  test('when a catch-up message is encoded, then reset comes along', () => {
    const reset: ChatEvent = { ...message, data: { ...message.data, reset: true } } as ChatEvent;
    expect(encodeSocketEvent(reset).payload).toEqual(expect.objectContaining({ reset: true }));
  });

  test.each([
    ['start', 'chat_start'],
    ['complete', 'chat_complete'],
    ['error', 'chat_stream_error'],
    ['progress', 'chat_progress'],
    ['reasoning', 'chat_reasoning'],
  ] as const)('when the event is %s, then it goes out as %s with the SSE data unchanged', (type, name) => {
    const data = { marker: type };
    const frame = encodeSocketEvent({ id: 0, type, data } as unknown as ChatEvent);
    expect(frame.name).toBe(name);
    expect(frame.payload).toBe(data);
  });

  test('when the model thinks, then chat_reasoning carries the SSE reasoning data, catch-up reset too', () => {
    const reasoning: ChatEvent = { id: 3, type: 'reasoning', data: { content: 'Let me see', count: 1 } };
    expect(JSON.stringify(encodeSocketEvent(reasoning))).toBe('{"name":"chat_reasoning","payload":{"content":"Let me see","count":1}}');
    const caughtUp: ChatEvent = { id: 4, type: 'reasoning', data: { content: 'Let me see.', count: 2, reset: true } };
    expect(JSON.stringify(encodeSocketEvent(caughtUp).payload)).toBe('{"content":"Let me see.","count":2,"reset":true}');
  });

  test('when a stage begins, then chat_progress carries the SSE progress data with its fields', () => {
    const progress: ChatEvent = {
      id: 0,
      type: 'progress',
      data: { stage: 'retrying', message: 'Retrying in 2 s (rate limited)…', elapsed_ms: 412, attempt: 1, delay_ms: 2000, reason: 'upstream_rate_limited' },
    };
    expect(JSON.stringify(encodeSocketEvent(progress))).toBe(
      '{"name":"chat_progress","payload":{"stage":"retrying","message":"Retrying in 2 s (rate limited)…","elapsed_ms":412,"attempt":1,"delay_ms":2000,"reason":"upstream_rate_limited"}}',
    );
  });
});
