import { MockProvider } from '../../../src/providers/mock/mock-provider';
import { mockAnswer, mockTokens } from '../../../src/providers/mock/mock-answer';
import type { Delta } from '../../../src/providers/types';

const request = (content: string) => ({ model: 'm', messages: [{ role: 'user' as const, content }] });

describe('MockProvider', () => {
  test('when asked, then it streams the mock answer token by token, then finish and usage', async () => {
    const deltas: Delta[] = [];
    for await (const d of new MockProvider({ delayMs: 0 }).stream(request('What is Python?'), new AbortController().signal)) deltas.push(d);
    const content = deltas.filter((d) => d.type === 'content').map((d) => (d as { content: string }).content);
    expect(content.join('')).toBe(mockAnswer('What is Python?'));
    expect(content.length).toBeGreaterThan(50);
    expect(deltas.at(-2)).toEqual({ type: 'finish', finishReason: 'stop' });
    expect(deltas.at(-1)).toMatchObject({ type: 'usage', usage: { completion_tokens: content.length, cost: 0 } });
  });

  test('when the signal aborts mid-answer, then it stops at once', async () => {
    const controller = new AbortController();
    const seen: Delta[] = [];
    const run = (async () => {
      for await (const d of new MockProvider({ delayMs: 5 }).stream(request('Hi'), controller.signal)) {
        seen.push(d);
        if (seen.length === 3) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(3);
  });

  test('when the question holds markdown, then the echo cannot change the answer layout', () => {
    const answer = mockAnswer('# Title\n\n<script>alert(1)</script> [x](javascript:y)');
    expect(answer).toContain('You asked: *\\# Title \\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript:y\\)*');
  });

  test('when the answer is cut into tokens, then they join back to the same text', () => {
    const text = mockAnswer('Q');
    expect(mockTokens(text).join('')).toBe(text);
  });

  test('when the answer is written, then it says it is the mock and holds a heading, list, code block, table and link', () => {
    const text = mockAnswer('Q');
    expect(text).toMatch(/^## Mock answer/);
    expect(text).toContain('**built-in mock**, not from a language model');
    expect(text).toMatch(/^1\. /m);
    expect(text).toContain('```ts');
    expect(text).toContain('| --- | --- |');
    expect(text).toContain('](https://openrouter.ai/docs)');
  });

  // Half a surrogate pair is a lone code unit, which a UTF-8 JSON encoder turns into U+FFFD.
  const splitsAPair = (piece: string) => /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece);

  test('when the question is a run of emoji, then no token and no echo cuts one in half', async () => {
    // 7 emoji make a word longer than a 6-unit token; 130 of them a question longer than the 120-character echo.
    const question = `${'😀'.repeat(7)} ${'🌍'.repeat(130)}`;
    const deltas: Delta[] = [];
    for await (const d of new MockProvider({ delayMs: 0 }).stream(request(question), new AbortController().signal)) deltas.push(d);
    const content = deltas.flatMap((d) => (d.type === 'content' ? [d.content] : []));
    expect(content.filter(splitsAPair)).toEqual([]);
    expect(content.join('')).toBe(mockAnswer(question));
    expect(mockAnswer(question)).toContain(`${'🌍'.repeat(117 - 8)}\\.\\.\\.*`);
  });
});
