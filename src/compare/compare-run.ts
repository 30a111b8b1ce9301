import type { ChatStream } from '../chat/chat-stream';
import type { ChatSubscription } from '../chat/chat-subscription';
import type { ChatEvent } from '../chat/events';
import type { CompareEvent, Side, SideSummary } from './compare-events';
import type { Winner } from './winner';
import { summariseSide } from './summarise-side';

export interface CompareRunOptions {
  id: string;
  owner: string | null;
  prompt: string;
  sessionId: string;
  blind: boolean;
  sides: Record<Side, ChatStream>;
}

/**
 * Two answers to one prompt, side by side: two ChatStreams started together, their events
 * merged in the order they arrive. Each side keeps its own fallback, markdown and stats; one
 * failing ends that side only. Reading the merged events is what keeps both alive: closing them
 * (the client left) abandons both upstream requests.
 */
export class CompareRun {
  readonly id: string;
  readonly owner: string | null;
  readonly prompt: string;
  readonly sessionId: string;
  readonly blind: boolean;
  readonly sides: Readonly<Record<Side, ChatStream>>;
  /** The vote, once cast: the compare takes one. */
  winner: Winner | undefined;

  private readonly viewers: Record<Side, ChatSubscription>;
  private readonly texts: Record<Side, string> = { A: '', B: '' };
  private readonly finals: Partial<Record<Side, ChatEvent>> = {};
  private readonly responseTimes: Record<Side, number> = { A: 0, B: 0 };
  private readonly counts: Record<Side, number> = { A: 0, B: 0 };
  readonly events: AsyncIterable<CompareEvent> & { close(): void };

  constructor(options: CompareRunOptions) {
    this.id = options.id;
    this.owner = options.owner;
    this.prompt = options.prompt;
    this.sessionId = options.sessionId;
    this.blind = options.blind;
    this.sides = options.sides;
    // Subscribed at once: a stream tied to its viewer must have one before its first tick.
    this.viewers = { A: options.sides.A.subscribe(), B: options.sides.B.subscribe() };
    this.events = Object.assign(this.merge(), { close: () => this.closeViewers() });
  }

  get models(): Record<Side, string> {
    return { A: this.sides.A.model, B: this.sides.B.model };
  }

  /** True once both sides have ended. */
  get ended(): boolean {
    return this.sides.A.ended && this.sides.B.ended;
  }

  /** Resolves when both sides have ended. */
  get done(): Promise<void> {
    return Promise.all([this.sides.A.done, this.sides.B.done]).then(() => undefined);
  }

  /** Stops both sides (or one), keeping what each has written. False when none was still running. */
  stop(only?: Side): boolean {
    const a = only !== 'B' && this.sides.A.stop();
    const b = only !== 'A' && this.sides.B.stop();
    return a || b;
  }

  /** The side's answer text so far: the whole answer once it completed. */
  text(side: Side): string {
    const final = this.finals[side];
    return final?.type === 'complete' ? final.data.full_response : this.texts[side];
  }

  summary(side: Side): SideSummary {
    return summariseSide(this.sides[side], this.finals[side], this.text(side), this.blind, this.responseTimes[side]);
  }

  private closeViewers(): void {
    this.viewers.A.close();
    this.viewers.B.close();
  }

  private async *merge(): AsyncGenerator<CompareEvent> {
    yield {
      type: 'start',
      data: {
        compare_id: this.id,
        session_id: this.sessionId,
        blind: this.blind,
        models: this.blind ? { A: null, B: null } : this.models,
      },
    };
    const next = (side: Side) => this.viewers[side].next().then((result) => ({ side, result }));
    const pending = new Map<Side, ReturnType<typeof next>>([
      ['A', next('A')],
      ['B', next('B')],
    ]);
    try {
      while (pending.size > 0) {
        const { side, result } = await Promise.race(pending.values());
        if (result.done) {
          pending.delete(side);
          continue;
        }
        pending.set(side, next(side));
        const event = result.value;
        if (event.type === 'message') {
          this.texts[side] += event.data.content;
          this.counts[side] = event.data.count;
        }
        if (event.type === 'complete' || event.type === 'error') {
          this.finals[side] = event;
          // A completed side has its own clock; a failed one ends now.
          const seconds = event.type === 'complete' ? event.data.duration : (performance.now() - this.sides[side].createdAt) / 1000;
          this.responseTimes[side] = Math.round(seconds * 1000);
          const end = { responseTimeMs: this.responseTimes[side], count: this.counts[side] };
          yield { type: 'side', side, event, blind: this.blind, end };
        } else {
          yield { type: 'side', side, event, blind: this.blind };
        }
      }
      // Closed early (the client left): no summary to send to anyone.
      if (this.finals.A && this.finals.B) {
        yield { type: 'complete', data: { compare_id: this.id, blind: this.blind, A: this.summary('A'), B: this.summary('B') } };
      }
    } finally {
      this.closeViewers();
    }
  }
}
