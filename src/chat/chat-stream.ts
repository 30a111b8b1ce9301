import { type AppError, UpstreamError } from '../errors';
import type { MarkdownStream } from '../markdown';
import { isBatch, type DeltaItem, type ProgressDelta, type ProgressStage, type ProviderName, type Usage } from '../providers/types';
import type { ChatEvent, CompleteData, ErrorData, MessageData, ProgressData, StartData } from './events';
import { AnswerBudget } from './answer-budget';
import { answerModel, answerStats, progressData } from './answer-stats';
import { ChatSubscription } from './chat-subscription';
import { ReasoningTrack } from './reasoning-track';
import type { AnswerDelta } from './with-fallback';
import type { SourceData } from '../documents/grounding';
import { toAppError } from './to-app-error';
import { deferred } from '../util/deferred';
import { flat, keptBytes } from './kept-bytes';
import { isTextDelta, pieces, SliceBudget, type SliceOptions } from './in-slices';

export interface ChatStreamOptions {
  id: string;
  sessionId: string;
  model: string;
  /** The user it belongs to, or null when anonymous. */
  owner: string | null;
  /** The user's message, kept so a returning viewer can be shown what was asked. */
  prompt: string;
  /** Who we expect to answer; used to label a start event when the answer ends before any source spoke. */
  plannedSource: ProviderName;
  markdown: MarkdownStream;
  /** Re-render the open block at most once per this many ms. `0` re-renders on every delta. */
  frameMs: number;
  /** How many events are kept for viewers that join late or come back. */
  maxEvents: number;
  /** How long a running answer may go unwatched before it is aborted. `0` aborts at once. */
  graceMs: number;
  /** UTF-8 bytes of content and reasoning kept per answer; beyond it the answer ends as `length`. Defaults to unbounded. */
  maxAnswerBytes?: number;
  now?: () => number;
  /** How a burst of deltas is cut up and spread over turns of the event loop (see `SliceBudget`). */
  slices?: SliceOptions;
}

type EndReason = 'stopped' | 'abandoned' | 'shutdown';
const END_REASONS: ReadonlySet<unknown> = new Set<EndReason>(['stopped', 'abandoned', 'shutdown']);

/**
 * One answer in flight. It numbers the events, renders markdown as deltas arrive, keeps the
 * stats, holds a bounded buffer of its events for late or returning viewers, and owns the
 * AbortController that stop, abandonment and shutdown trigger. It knows nothing of HTTP.
 */
export class ChatStream {
  readonly id: string;
  readonly sessionId: string;
  readonly model: string;
  readonly owner: string | null;
  readonly prompt: string;
  readonly createdAt: number;

  private readonly options: Omit<ChatStreamOptions, 'markdown'>;
  /** The renderer, until the answer ends: its state is many times the text, and replay needs none of it. */
  private markdown: MarkdownStream | undefined;
  private readonly now: () => number;
  private readonly controller = new AbortController();
  private readonly buffer: ChatEvent[] = [];
  private firstBufferedId = 0;
  private nextId = 0;
  private waiting = new Set<() => void>();
  /** The set `waiting` swaps with when it wakes them, so an emit allocates nothing. */
  private woken = new Set<() => void>();
  private readonly subscriptions = new Set<ChatSubscription>();
  private unwatchedTimer: NodeJS.Timeout | undefined;

  private startEvent: Extract<ChatEvent, { type: 'start' }> | undefined;
  private finalEvent: ChatEvent | undefined;
  private lastMessageId = -1;
  private count = 0;
  private text = '';
  private committed = '';
  private lastTail = '';
  /**
   * When the next frame is due if frames came every `frameMs` (a GCRA's theoretical arrival
   * time): a frame may render up to half a frame before it, when those before it came late.
   */
  private frameDue = Number.NEGATIVE_INFINITY;
  private tailTimer: NodeJS.Timeout | undefined;
  private firstTokenAt: number | undefined;
  private finishReason = 'stop';
  private usage: Usage | null = null;
  /** The model the upstream says answered, when it says. */
  private answeredModel: string | undefined;
  private readonly reasoning = new ReasoningTrack();
  private lastReasoningId = -1;
  private stage: ProgressStage | undefined;
  private lastProgress: Extract<ChatEvent, { type: 'progress' }> | undefined;
  /** A grounded answer's passages: known before `start`, sent right after it. */
  private sources: SourceData[] | undefined;
  private sourcesEvent: Extract<ChatEvent, { type: 'sources' }> | undefined;
  private readonly budget: AnswerBudget;
  private finished = deferred<ChatEvent>();
  /** The text has ended and its final HTML is on its way (see `finalHtml`). */
  private finishing = false;

  constructor(options: ChatStreamOptions) {
    const { markdown, ...rest } = options;
    this.options = rest;
    this.markdown = markdown;
    this.id = options.id;
    this.sessionId = options.sessionId;
    this.model = options.model;
    this.owner = options.owner;
    this.prompt = options.prompt;
    this.now = options.now ?? (() => performance.now());
    this.createdAt = this.now();
    this.budget = new AnswerBudget(options.maxAnswerBytes);
  }

  /** Aborts when the answer is stopped, abandoned or shut down; providers listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get ended(): boolean {
    return this.finalEvent !== undefined;
  }

  /** Who answers, once known. */
  get start(): StartData | undefined {
    return this.startEvent?.data;
  }

  /** The id of the newest event, or -1 before the first. */
  get lastEventId(): number {
    return this.nextId - 1;
  }

  get viewerCount(): number {
    return this.subscriptions.size;
  }

  /** The passages the answer was grounded on, once chosen; undefined when asked without documents. */
  get groundedOn(): readonly SourceData[] | undefined {
    return this.sources;
  }

  /** The answer's markdown so far. */
  get content(): string {
    return this.text;
  }

  /**
   * About how many bytes this answer keeps for replay once it has ended and nobody reads it (its
   * text, prompt, reasoning, final HTML and the final event's other strings, at two bytes a
   * character, the most V8 spends on one); what the registry bounds with `keepBytes`.
   */
  get keptBytes(): number {
    return keptBytes(this.prompt, this.text, this.reasoning.text, this.committed, this.lastTail, this.finalEvent);
  }

  /** Resolves with the `complete` or `error` event. */
  get done(): Promise<ChatEvent> {
    return this.finished.promise;
  }

  /** Consumes the deltas until the answer ends. Never rejects: failures become an `error` event. */
  async run(deltas: AsyncIterable<DeltaItem<AnswerDelta>>): Promise<void> {
    // A stream opened for a viewer that attaches right after this call gets one timer tick.
    if (this.subscriptions.size === 0) this.armUnwatchedTimer(false);
    try {
      // Sliced here, not by a generator of its own, which would add a round of promise
      // resolutions to every delta of every answer.
      const slices = new SliceBudget(this.options.slices);
      for await (const item of deltas) {
        const batch = isBatch(item) ? item : undefined;
        const count = batch ? batch.length : 1;
        // Deltas that came together render once, with the last content delta of them.
        const lastContent = batch ? lastContentIndex(batch) : 0;
        for (let i = 0; i < count && !this.budget.exhausted; i++) {
          const delta = batch ? batch[i]! : (item as AnswerDelta);
          const more = i < lastContent;
          if (!isTextDelta(delta)) {
            if (slices.takeOther()) await slices.yieldTurn();
            this.take(delta, more);
          } else if (delta.content.length <= slices.maxSlice) {
            if (slices.takeText(delta.content.length)) await slices.yieldTurn();
            this.take(delta, more);
          } else {
            for (const content of pieces(delta.content, slices.maxSlice)) {
              if (slices.takeText(content.length)) await slices.yieldTurn();
              this.take({ type: delta.type, content }, more);
              if (this.budget.exhausted) break;
            }
          }
        }
        if (this.budget.exhausted) {
          // Leaving the loop ends the upstream request: the answer is as long as it may be.
          this.finishReason = 'length';
          break;
        }
      }
      await this.complete();
    } catch (error) {
      const reason = this.controller.signal.aborted ? (this.controller.signal.reason as unknown) : undefined;
      if (END_REASONS.has(reason)) {
        this.finishReason = reason as EndReason;
        await this.complete();
      } else {
        this.fail(toAppError(error));
      }
    }
  }

  private take(delta: AnswerDelta, more: boolean): void {
    switch (delta.type) {
      case 'source':
        this.emitStart(delta.source, delta.fallbackReason, delta.fallbackMessage);
        break;
      case 'progress':
        this.emitProgress(delta);
        break;
      case 'sources':
        this.onSources(delta.sources);
        break;
      case 'reasoning':
        this.onReasoning(delta.content);
        break;
      case 'content':
        this.onContent(delta.content, more);
        break;
      case 'model':
        this.answeredModel = delta.model;
        break;
      case 'finish':
        this.finishReason = delta.finishReason;
        break;
      case 'usage':
        this.usage = delta.usage;
        break;
    }
  }

  /** A client asked to stop: abort the upstream, keep the partial answer. Returns false once ended. */
  stop(): boolean {
    return this.abort('stopped');
  }

  /** Nobody watches any more: stop paying for tokens. */
  abandon(): boolean {
    return this.abort('abandoned');
  }

  /** The server is stopping: end with what came so far, `finish_reason: "shutdown"`. */
  shutDown(): boolean {
    return this.abort('shutdown');
  }

  /**
   * A viewer that receives every event after `afterId` (-1 or undefined: from the start), then
   * the live rest. A viewer counts from this call until it closes.
   */
  subscribe(afterId = -1): ChatSubscription {
    clearTimeout(this.unwatchedTimer);
    this.unwatchedTimer = undefined;
    const subscription = new ChatSubscription(this, afterId, () => {
      this.subscriptions.delete(subscription);
      if (this.subscriptions.size > 0) return;
      if (this.ended) this.compact();
      else this.armUnwatchedTimer(true);
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The registry forgets this answer: close every viewer still attached (one whose socket stopped
   * reading, say), so none keeps it, and its events, alive past its expiry.
   */
  expire(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  /** @internal For subscriptions: the event with this id, or 'evicted' / 'pending'. */
  eventAt(id: number): ChatEvent | 'evicted' | 'pending' {
    if (id >= this.nextId) return 'pending';
    if (id < this.firstBufferedId) return 'evicted';
    return this.buffer[id - this.firstBufferedId]!;
  }

  /** @internal Calls `wake` once, when the next event is emitted. */
  waitForEvent(wake: () => void): void {
    this.waiting.add(wake);
  }

  /** @internal */
  cancelWait(wake: () => void): void {
    this.waiting.delete(wake);
  }

  /**
   * @internal What a viewer gets instead of events the buffer no longer holds: the start event
   * and one message with the whole answer so far, flagged `reset`.
   */
  catchUp(afterId: number): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (this.lastProgress && afterId < this.lastProgress.id) events.push(this.lastProgress);
    if (this.startEvent && afterId < this.startEvent.id) events.push(this.startEvent);
    if (this.sourcesEvent && afterId < this.sourcesEvent.id) events.push(this.sourcesEvent);
    const reasoning = this.reasoning.text;
    if (reasoning !== null && afterId < this.lastReasoningId) {
      events.push({
        id: this.lastReasoningId,
        type: 'reasoning',
        data: { content: reasoning, count: this.reasoning.count, reset: true },
      });
    }
    if (this.lastMessageId >= 0) {
      events.push({
        id: this.lastMessageId,
        type: 'message',
        data: {
          content: this.text,
          token: this.text,
          count: this.count,
          html: { append: this.committed, tail: this.lastTail },
          reset: true,
        },
      });
    }
    return events.sort((a, b) => a.id - b.id);
  }

  private abort(reason: EndReason): boolean {
    if (this.ended || this.finishing || this.controller.signal.aborted) return false;
    this.controller.abort(reason);
    return true;
  }

  private armUnwatchedTimer(lastViewerLeft: boolean): void {
    if (this.options.graceMs === 0 && lastViewerLeft) {
      this.abandon();
      return;
    }
    this.unwatchedTimer = setTimeout(() => this.abandon(), this.options.graceMs);
    this.unwatchedTimer.unref();
  }

  private emit(event: ChatEvent): void {
    this.buffer.push(event);
    this.nextId = event.id + 1;
    if (this.buffer.length > this.options.maxEvents) {
      // Drop in batches so eviction stays O(1) amortised.
      const drop = Math.ceil(this.options.maxEvents / 4);
      this.buffer.splice(0, drop);
      this.firstBufferedId += drop;
    }
    if (this.waiting.size > 0) {
      const woken = this.waiting;
      this.waiting = this.woken;
      this.woken = woken;
      for (const wake of woken) wake();
      woken.clear();
    }
  }

  private emitStart(source: ProviderName, fallbackReason?: string, fallbackMessage?: string): void {
    if (this.startEvent) return;
    const data: StartData = { id: this.id, session_id: this.sessionId, model: this.model, source };
    if (fallbackReason !== undefined) data.fallback_reason = fallbackReason;
    if (fallbackMessage !== undefined) data.fallback_message = fallbackMessage;
    this.startEvent = { id: this.nextId, type: 'start', data };
    this.emit(this.startEvent);
    this.emitSources();
  }

  /** Only `progress` may come before `start`: sources found earlier wait for it. */
  private onSources(sources: SourceData[]): void {
    this.sources = sources;
    if (this.startEvent) this.emitSources();
  }

  private emitSources(): void {
    if (this.sources === undefined || this.sourcesEvent) return;
    this.sourcesEvent = { id: this.nextId, type: 'sources', data: { sources: this.sources } };
    this.emit(this.sourcesEvent);
  }

  /** A stage that really began; `elapsed_ms` counts from the request. */
  private emitProgress(progress: ProgressDelta, extra: Pick<ProgressData, 'reasoning_ms'> = {}): void {
    this.stage = progress.stage;
    const data = progressData(progress, this.now() - this.createdAt, extra);
    this.lastProgress = { id: this.nextId, type: 'progress', data };
    this.emit(this.lastProgress);
  }

  private onReasoning(delta: string): void {
    const content = this.budget.take(delta);
    if (content === '') return;
    if (this.stage !== 'reasoning') this.emitProgress({ type: 'progress', stage: 'reasoning', message: 'Thinking…' });
    this.reasoning.add(content, this.now());
    this.lastReasoningId = this.nextId;
    this.emit({ id: this.nextId, type: 'reasoning', data: { content, count: this.reasoning.count } });
  }

  /** `more`: other text came with this delta and follows at once. */
  private onContent(delta: string, more: boolean): void {
    const content = this.budget.take(delta);
    if (content === '') return;
    const now = this.now();
    this.reasoning.end(now);
    // An answer straight from the mock has no stage before its text; one that had stages says it turned to writing.
    if (this.stage !== undefined && this.stage !== 'generating') {
      const reasoningMs = this.reasoning.ms(now);
      this.emitProgress(
        { type: 'progress', stage: 'generating', message: 'Responding…' },
        reasoningMs === null ? {} : { reasoning_ms: reasoningMs },
      );
    }
    this.firstTokenAt ??= now;
    this.count++;
    this.text += content;
    const html: MessageData['html'] = { append: '' };
    // A delta at a model's pace renders on arrival even when timer jitter brings it a little
    // early, using what earlier late frames left unused: deferring it cost a second, tail-only
    // frame (a timer, an event, a write) for the same one render. Fast deltas still get one
    // render per frame on average.
    const earliest = this.frameDue - this.options.frameMs / 2;
    // With more text right behind it, the render waits for the last of them; an answer's first
    // text still renders at once, so the first frame shows it, and `frameMs` 0 renders every delta.
    const waitForTheRest = more && this.options.frameMs > 0 && this.frameDue !== Number.NEGATIVE_INFINITY;
    const render = !waitForTheRest && now >= earliest;
    if (render) {
      html.append = this.commit(this.markdown!.push(content));
      Object.assign(html, this.renderTail(now));
    } else {
      // Inside a frame nothing is rendered: the deltas wait, commits too, for the frame's end.
      this.markdown!.write(content);
      this.tailTimer ??= setTimeout(() => this.flushFrame(), Math.max(0, earliest - now));
    }
    this.emitMessage({ content, token: content, count: this.count, html });
  }

  /** Keeps committed HTML for viewers who join later. */
  private commit(append: string): string {
    this.committed += append;
    return append;
  }

  /**
   * Re-renders the open block, as the whole tail when it shares nothing with the last one sent,
   * else as an edit of it; undefined when it did not change.
   */
  private renderTail(now: number): Pick<MessageData['html'], 'tail' | 'tail_edit'> | undefined {
    if (this.tailTimer !== undefined) {
      clearTimeout(this.tailTimer);
      this.tailTimer = undefined;
    }
    this.frameDue = Math.max(this.frameDue, now) + this.options.frameMs;
    const { keep, add } = this.markdown!.tailEdit();
    if (add === '' && keep === this.lastTail.length) return undefined;
    // The whole tail, for viewers who join later: the renderer's own, not built from the edit.
    this.lastTail = this.markdown!.tail();
    return keep === 0 ? { tail: add } : { tail_edit: { keep, add } };
  }

  /** Deltas came faster than a frame and stopped: send what they committed and the tail they left. */
  private flushFrame(): void {
    this.tailTimer = undefined;
    if (this.ended) return;
    const append = this.commit(this.markdown!.flush());
    const tail = this.renderTail(this.now());
    if (append === '' && tail === undefined) return;
    this.emitMessage({ content: '', token: '', count: this.count, html: { append, ...tail } });
  }

  private emitMessage(data: MessageData): void {
    this.lastMessageId = this.nextId;
    this.emit({ id: this.nextId, type: 'message', data });
  }

  private async complete(): Promise<void> {
    clearTimeout(this.tailTimer);
    const end = this.now();
    if (!this.startEvent) this.emitStart(this.options.plannedSource);
    // A flat copy: a string grown by `+=` is a rope of every delta, far larger than its text,
    // and the complete event and the catch-up message share this one.
    this.text = flat(this.text);
    const rendered = this.finalHtml();
    // Awaited only when it is on its way: an answer rendered at once ends in this same turn.
    const html = flat(typeof rendered === 'string' ? rendered : await rendered);
    // A returning viewer's catch-up shows the final HTML, the very string the complete event
    // holds, so an ended answer keeps one copy of its HTML, not that and every commit.
    this.committed = html;
    this.lastTail = '';
    const data: CompleteData = {
      status: 'completed',
      done: true,
      id: this.id,
      session_id: this.sessionId,
      ...answerModel(this.model, this.answeredModel),
      source: this.startEvent!.data.source,
      user: this.owner ?? 'anonymous',
      finish_reason: this.finishReason,
      ...answerStats({ createdAt: this.createdAt, firstTokenAt: this.firstTokenAt, end, usage: this.usage, deltas: this.count }),
      full_response: this.text,
      reasoning: this.reasoning.text,
      reasoning_ms: this.reasoning.ms(end),
      html,
      usage: this.usage,
      timestamp: new Date().toISOString(),
      ...(this.sources === undefined ? {} : { sources: this.sources }),
    };
    this.end({ id: this.nextId, type: 'complete', data });
  }

  /**
   * `end().html`, from a worker when the renderer has one and the answer is long. Meanwhile the
   * answer is live but finishing: viewers get its commits and tail, and it cannot be stopped.
   */
  private finalHtml(): string | Promise<string> {
    const markdown = this.markdown!;
    if (markdown.finalHtml === undefined) return markdown.end().html;
    this.finishing = true;
    return markdown.finalHtml(this.text);
  }

  private fail(error: AppError): void {
    // No final HTML follows an error, so what the last deltas committed and the tail they left
    // is all the reader will see of them: send it now.
    if (this.tailTimer !== undefined) this.flushFrame();
    // Clients key everything on `start` (the answer's ids, who answers): even an answer that
    // fails before any source spoke gets one, naming who was asked.
    if (!this.startEvent) this.emitStart(this.options.plannedSource);
    this.text = flat(this.text);
    this.committed = flat(this.committed);
    const data: ErrorData = { error: error.message, code: error.code, retryable: error.retryable };
    if (error instanceof UpstreamError && error.retryAfterSeconds !== undefined) {
      data.retry_after_s = error.retryAfterSeconds;
    }
    this.end({ id: this.nextId, type: 'error', data, cause: error });
  }

  private end(event: ChatEvent): void {
    clearTimeout(this.unwatchedTimer);
    this.finalEvent = event;
    this.markdown = undefined;
    this.emit(event);
    this.finished.resolve(event);
    if (this.subscriptions.size === 0) this.compact();
  }

  /**
   * An ended answer nobody reads keeps only its final event: a viewer that comes back gets the
   * start event and one catch-up message instead of every delta, which halves what the
   * registry holds per kept answer. While anyone reads, the events stay, so that viewer sees
   * them exactly.
   */
  private compact(): void {
    const dropped = this.buffer.length - 1;
    if (dropped > 0) {
      this.buffer.splice(0, dropped);
      this.firstBufferedId += dropped;
    }
    // Encoders reuse a recent frame by the event object: a fresh object (same strings) is never
    // matched to a frame of the old one, which can then be collected with it.
    const final = { ...this.finalEvent! } as ChatEvent;
    this.finalEvent = final;
    this.buffer[this.buffer.length - 1] = final;
    this.finished = deferred<ChatEvent>();
    this.finished.resolve(final);
  }
}

/** Where the last content delta of a batch is, or -1. */
function lastContentIndex(batch: readonly AnswerDelta[]): number {
  for (let i = batch.length - 1; i >= 0; i--) if (batch[i]!.type === 'content') return i;
  return -1;
}
