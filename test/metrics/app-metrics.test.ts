import { AppMetrics } from '../../src/metrics/app-metrics';
import { parseSamples, seriesOf } from '../helpers/prometheus';

describe('AppMetrics', () => {
  test('when the rate limiter reports refusals, then they are counted by limit', async () => {
    const metrics = new AppMetrics({ liveAnswers: () => 0, viewers: () => 0 });
    metrics.countRateLimited('stream');
    metrics.countRateLimited('stream');
    metrics.countRateLimited('chat');
    expect(seriesOf(parseSamples(await metrics.scrape()), 'http_rate_limited_total')).toEqual({
      'http_rate_limited_total{limit="stream"}': 2,
      'http_rate_limited_total{limit="chat"}': 1,
    });
  });

  test('when scraped, then the gauges read the live state at that moment', async () => {
    let live = 3;
    const metrics = new AppMetrics({ liveAnswers: () => live, viewers: () => 7 });
    expect(parseSamples(await metrics.scrape()).get('chat_answers_live')).toBe(3);
    live = 1;
    const samples = parseSamples(await metrics.scrape());
    expect(samples.get('chat_answers_live')).toBe(1);
    expect(samples.get('chat_viewers')).toBe(7);
  });
});
