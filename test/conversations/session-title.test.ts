import { sessionTitle } from '../../src/conversations/session-title';

describe('sessionTitle', () => {
  test.each([
    ['  What is Python?  ', 'What is Python?'],
    ['Line one\n\nline   two', 'Line one line two'],
    ['x'.repeat(60), 'x'.repeat(60)],
    ['x'.repeat(61), `${'x'.repeat(59)}…`],
    [`${'word '.repeat(12)}end`, `${'word '.repeat(12).trimEnd()}…`],
    ['😀'.repeat(61), `${'😀'.repeat(59)}…`],
    ['Tab\there\u0000and\u001b[31mred\u0085', 'Tab here and [31mred'],
  ])('when the first message is %j, then the title is %j', (message, title) => {
    expect(sessionTitle(message)).toBe(title);
    expect(Array.from(sessionTitle(message)).length).toBeLessThanOrEqual(60);
  });
});
