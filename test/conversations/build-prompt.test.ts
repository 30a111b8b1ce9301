import { buildPrompt, historyTurns } from '../../src/conversations/build-prompt';
import { estimateTokens } from '../../src/conversations/estimate-tokens';
import type { MessageRecord } from '../../src/stores/conversation-store';

let n = 0;
function msg(role: 'user' | 'assistant', content: string, finishReason: string | null = role === 'user' ? null : 'stop'): MessageRecord {
  return {
    id: `m-${++n}`, sessionId: 's', role, content, html: null, reasoning: null, model: null, source: null,
    finishReason, usage: null, ttftMs: null, error: null, createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('estimateTokens', () => {
  test.each([
    ['', 4],
    ['abc', 5],
    ['abcd', 5],
    ['abcde', 6],
    ['x'.repeat(400), 104],
  ])('when the text is %j, then it counts as %i tokens (a quarter of its characters, rounded up, plus 4)', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});

describe('historyTurns', () => {
  test('when answers failed, were interrupted, still stream or are empty, then their whole turn is left out', () => {
    const history = [
      msg('user', 'q1'), msg('assistant', 'a1'),
      msg('user', 'q2'), msg('assistant', 'partial', 'error'),
      msg('user', 'q3'), msg('assistant', 'cut', 'interrupted'),
      msg('user', 'q4'), msg('assistant', '', 'stopped'),
      msg('user', 'q5'), msg('assistant', 'stopped early', 'stopped'),
      msg('user', 'q6'), msg('assistant', 'so far', null),
    ];

    expect(historyTurns(history)).toEqual([
      [{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }],
      [{ role: 'user', content: 'q5' }, { role: 'assistant', content: 'stopped early' }],
    ]);
  });

  test('when a question has no answer after it, then it is not history', () => {
    expect(historyTurns([msg('user', 'q1'), msg('user', 'q2'), msg('assistant', 'a2')])).toEqual([
      [{ role: 'user', content: 'q2' }, { role: 'assistant', content: 'a2' }],
    ]);
  });
});

describe('buildPrompt', () => {
  const history = [msg('user', 'q1'), msg('assistant', 'a1'), msg('user', 'q2'), msg('assistant', 'a2')];

  test('when everything fits, then system prompt, earlier turns oldest first, then the new message', () => {
    expect(buildPrompt({ systemPrompt: 'Be brief.', history, message: 'q3', maxTokens: 1000 })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
      { role: 'user', content: 'q3' },
    ]);
  });

  test('when there is no system prompt, then none is sent', () => {
    expect(buildPrompt({ systemPrompt: '', history: [], message: 'q1', maxTokens: 1000 })).toEqual([{ role: 'user', content: 'q1' }]);
  });

  test('when the budget holds only the newest turn, then the oldest whole turn is dropped', () => {
    // Every message here is 5 tokens: system + new message 10, each turn 10.
    expect(buildPrompt({ systemPrompt: 'sys', history, message: 'q3', maxTokens: 29 })).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
      { role: 'user', content: 'q3' },
    ]);
    expect(buildPrompt({ systemPrompt: 'sys', history, message: 'q3', maxTokens: 30 })).toHaveLength(6);
  });

  test('when a newer turn is too long, then no older turn is sent past it', () => {
    const long = [msg('user', 'q1'), msg('assistant', 'a1'), msg('user', 'q2'), msg('assistant', 'x'.repeat(400))];

    expect(buildPrompt({ systemPrompt: '', history: long, message: 'q3', maxTokens: 50 })).toEqual([{ role: 'user', content: 'q3' }]);
  });

  test('when the new message alone is over the budget, then it is still sent, whole', () => {
    const message = 'y'.repeat(1000);

    expect(buildPrompt({ systemPrompt: 'sys', history, message, maxTokens: 100 })).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: message },
    ]);
  });
});
