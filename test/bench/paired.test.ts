import { pairedTtft, type Round } from '../../bench/lib/paired';

describe('paired TTFT differences', () => {
  test('when each proxied sample has its round\'s direct sample, then the quantiles are of the differences, not differences of quantiles', () => {
    // Direct is slow exactly when the server is: the server adds 1 ms every round but one, which adds 5 ms.
    const rounds: Round[] = [
      ...Array.from({ length: 99 }, (_, i) => ({ direct: { ok: true, ttftMs: 2 + i }, server: { ok: true, ttftMs: 3 + i } })),
      { direct: { ok: true, ttftMs: 1 }, server: { ok: true, ttftMs: 6 } },
    ];
    const paired = pairedTtft(rounds, ['server']);
    expect(paired.server).toMatchObject({ count: 100, p50: 1, p99: 1, max: 5 });
  });

  test('when a stream of a round failed, then that round pairs nothing for that path and the other paths keep theirs', () => {
    const rounds: Round[] = [
      { direct: { ok: true, ttftMs: 2 }, server: { ok: false, ttftMs: undefined }, reference: { ok: true, ttftMs: 2.5 } },
      { direct: { ok: false, ttftMs: 9 }, server: { ok: true, ttftMs: 3 }, reference: { ok: true, ttftMs: 3 } },
      { direct: { ok: true, ttftMs: 4 }, server: { ok: true, ttftMs: 7 }, reference: { ok: true, ttftMs: 5 } },
    ];
    const paired = pairedTtft(rounds, ['server', 'reference']);
    expect(paired.server).toMatchObject({ count: 1, p50: 3 });
    expect(paired.reference).toMatchObject({ count: 2, p50: 0.5, max: 1 });
  });
});
