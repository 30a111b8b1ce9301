import { sseComment, sseFrame } from '../../src/sse/sse-frame';

describe('sseFrame', () => {
  test('when given an event, id and data, then it writes them in that order and ends with a blank line', () => {
    expect(sseFrame({ event: 'message', id: 3, data: '{"a":1}' })).toBe('event: message\nid: 3\ndata: {"a":1}\n\n');
  });

  test.each([
    ['a\nb', 'data: a\ndata: b\n\n'],
    ['a\r\nb', 'data: a\ndata: b\n\n'],
    ['a\rb', 'data: a\ndata: b\n\n'],
    ['', 'data: \n\n'],
  ])('when data is %j, then each line is its own data line', (data, frame) => {
    expect(sseFrame({ data })).toBe(frame);
  });

  test.each([['event'], ['id']])('when the %s holds a line break, then it refuses to write a frame', (field) => {
    expect(() => sseFrame({ [field]: 'x\ndata: injected', data: '' })).toThrow(`An SSE ${field} cannot contain a line break`);
  });

  test('when a comment is written, then it is a single comment line', () => {
    expect(sseComment('ping')).toBe(': ping\n\n');
  });
});
