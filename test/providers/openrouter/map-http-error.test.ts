import { mapUpstreamStatus, parseRetryAfter, upstreamErrorMessage } from '../../../src/providers/openrouter/map-http-error';

describe('map-http-error', () => {
  test.each([
    ['{"error":{"code":401,"message":"No auth"}}', 'No auth'],
    ['{"error":"plain"}', 'plain'],
    ['<html>Bad gateway</html>', '<html>Bad gateway</html>'],
    ['', undefined],
  ])('when the body is %j, then the message is %j', (body, message) => {
    expect(upstreamErrorMessage(body)).toBe(message);
  });

  test.each([
    ['7', 7],
    [' 0 ', 0],
    ['Sat, 21 Nov 2026 12:00:30 GMT', 30],
    ['soon', undefined],
    [null, undefined],
  ])('when Retry-After is %j, then it means %j seconds', (value, seconds) => {
    expect(parseRetryAfter(value, Date.parse('Sat, 21 Nov 2026 12:00:00 GMT'))).toBe(seconds);
  });

  test('when a 429 has no Retry-After, then the message says to try again shortly and no header is set', () => {
    const error = mapUpstreamStatus(429, '', null);
    expect(error.message).toBe('The model provider is rate limiting requests (429). Try again shortly.');
    expect(error.headers).toEqual({});
  });
});
