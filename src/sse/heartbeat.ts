/** What a heartbeat keeps alive: told to ping when it has been quiet for a whole period. */
export interface Beating {
  /** Set by the stream whenever it writes; the ticker clears it, and pings when it finds it clear. */
  wroteSinceBeat: boolean;
  beat(): void;
}

interface Ticker {
  timer: NodeJS.Timeout;
  streams: Set<Beating>;
}

const tickers = new Map<number, Ticker>();

function tick(streams: Set<Beating>): void {
  for (const stream of streams) {
    if (stream.wroteSinceBeat) stream.wroteSinceBeat = false;
    else stream.beat();
  }
}

/**
 * One interval per period for all open streams, instead of a timer (and its closure) each: an
 * idle stream costs a set entry. A stream that wrote anything since the last tick gets no ping,
 * so the first ping comes after one to two periods of quiet, then one every period; one that
 * is sending never needs one.
 */
export const heartbeat = {
  start(periodMs: number, stream: Beating): void {
    let ticker = tickers.get(periodMs);
    if (!ticker) {
      const streams = new Set<Beating>();
      ticker = { timer: setInterval(tick, periodMs, streams), streams };
      tickers.set(periodMs, ticker);
    }
    // Joining counts as writing: the first tick may come a moment later, far too soon for a ping.
    stream.wroteSinceBeat = true;
    ticker.streams.add(stream);
  },

  stop(periodMs: number, stream: Beating): void {
    const ticker = tickers.get(periodMs);
    if (!ticker?.streams.delete(stream) || ticker.streams.size > 0) return;
    clearInterval(ticker.timer);
    tickers.delete(periodMs);
  },
};
