import { retryDelay, streamWithRetries } from '../../src/chat/with-retries';
import { UpstreamRequestError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/errors';
import { mapUpstreamStatus } from '../../src/providers/openrouter/map-http-error';
import type { ChatProvider, Delta } from '../../src/providers/types';

const policy = { retries: 3, baseMs: 100, maxMs: 350 };
const unavailable = mapUpstreamStatus(503, '', null);

describe('retryDelay', () => {
  test.each([
    [1, 0.5, 50],
    [2, 0.5, 100],
    [3, 0.999, 349],
    [3, 0, 0],
  ])('when retry %i draws %f, then it waits a uniform share of min(maxMs, baseMs · 2^(retry-1)): %i ms', (retry, draw, expected) => {
    expect(retryDelay(unavailable, retry, { ...policy, random: () => draw })).toBe(expected);
  });

  test('when the retries are used up, then there is no further retry', () => {
    expect(retryDelay(unavailable, 4, { ...policy, random: () => 0.5 })).toBeUndefined();
  });

  test('when the upstream sends Retry-After within the cap, then exactly that wait; beyond the cap, no retry at all', () => {
    expect(retryDelay(mapUpstreamStatus(429, '', '0'), 1, policy)).toBe(0);
    expect(retryDelay(mapUpstreamStatus(503, '', '1'), 1, { ...policy, maxMs: 1000 })).toBe(1000);
    expect(retryDelay(mapUpstreamStatus(429, '', '1'), 1, policy)).toBeUndefined();
  });

  test.each([
    ['a 400', mapUpstreamStatus(400, '', null)],
    ['a 401', mapUpstreamStatus(401, '', null)],
    ['a 402', mapUpstreamStatus(402, '', null)],
    ['a 403', mapUpstreamStatus(403, '', null)],
    ['a 404', mapUpstreamStatus(404, '', null)],
    ['a first-token timeout', new UpstreamTimeoutError('x', { code: 'upstream_first_token_timeout', retryable: true })],
    ['a bad response', new UpstreamRequestError('x', { code: 'upstream_bad_response' })],
    ['a bug', new Error('boom')],
  ])('when the failure is %s, then it is not retried', (_what, error) => {
    expect(retryDelay(error, 1, { ...policy, random: () => 0.5 })).toBeUndefined();
  });

  test.each([
    ['a 408', mapUpstreamStatus(408, '', null)],
    ['a 500', mapUpstreamStatus(500, '', null)],
    ['no connection', new UpstreamUnavailableError('x', { code: 'upstream_unreachable' })],
    ['a connect timeout', new UpstreamTimeoutError('x', { code: 'upstream_connect_timeout' })],
  ])('when the failure is %s, then it is retried', (_what, error) => {
    expect(retryDelay(error, 1, { ...policy, random: () => 0.5 })).toBe(50);
  });
});

/** A provider that fails `failures` times before anything, then once after a first token. */
function flaky(failures: number): ChatProvider & { calls: number } {
  return {
    name: 'openrouter',
    calls: 0,
    async *stream() {
      this.calls++;
      if (this.calls <= failures) throw mapUpstreamStatus(502, '', null);
      yield { type: 'content', content: 'Hi' };
      throw mapUpstreamStatus(502, '', null);
    },
  };
}

describe('streamWithRetries', () => {
  test('when the model has written its first delta, then a later failure is never retried', async () => {
    const provider = flaky(1);
    const seen: Delta[] = [];
    await expect(
      (async () => {
        for await (const d of streamWithRetries(provider, { model: 'm', messages: [] }, new AbortController().signal, { ...policy, random: () => 0 })) seen.push(d);
      })(),
    ).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(provider.calls).toBe(2);
    expect(seen.map((d) => d.type)).toEqual(['progress', 'content']);
  });

  test('when the caller leaves during the wait, then no retry is made', async () => {
    const provider = flaky(5);
    const controller = new AbortController();
    const run = (async () => {
      for await (const d of streamWithRetries(provider, { model: 'm', messages: [] }, controller.signal, { retries: 3, baseMs: 10_000, maxMs: 10_000, random: () => 0.9 })) {
        if (d.type === 'progress') controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(provider.calls).toBe(1);
  });
});
