/**
 * What a lead generator returns once it has nothing more to decide: the iterator the rest of
 * the items come from, or nothing when the items end with it.
 */
export type Rest<T> = AsyncIterator<T> | undefined;

/**
 * The items of `lead`, then, once it returns an iterator, that iterator's items straight from
 * it: every later `next()` is the inner iterator's own call, returning its own promise. A
 * wrapper (retries, fallback, documents) that re-yielded each of an answer's deltas through its
 * own generator added a round of promise resolutions per delta for no work at all once its
 * decision was made; handed over, it adds none. `return()` reaches whichever side is current,
 * so a consumer that stops still ends the upstream request.
 */
export class HandOver<T> implements AsyncIterableIterator<T> {
  private rest: AsyncIterator<T> | undefined;

  constructor(private readonly lead: AsyncGenerator<T, Rest<T>>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    return this.rest ? this.rest.next() : this.fromLead();
  }

  async return(): Promise<IteratorResult<T>> {
    if (this.rest) {
      const rest = this.rest;
      return rest.return ? rest.return() : { done: true, value: undefined };
    }
    await this.lead.return(undefined);
    return { done: true, value: undefined };
  }

  private async fromLead(): Promise<IteratorResult<T>> {
    const result = await this.lead.next();
    if (!result.done) return result;
    if (result.value === undefined) return { done: true, value: undefined };
    this.rest = result.value;
    return this.rest.next();
  }
}

/**
 * Reads `iterable` by hand inside a lead generator, so that the generator can return the
 * iterator to a `HandOver` without a `for await` closing it on the way out.
 */
export class LeadReader<T> {
  private readonly iterator: AsyncIterator<T>;
  private finished = false;

  constructor(iterable: AsyncIterable<T>) {
    this.iterator = iterable[Symbol.asyncIterator]();
  }

  /** The next item, or undefined once the iterator ended; a throw ends it too. */
  async read(): Promise<{ value: T } | undefined> {
    try {
      const result = await this.iterator.next();
      if (result.done) {
        this.finished = true;
        return undefined;
      }
      return { value: result.value };
    } catch (error) {
      this.finished = true;
      throw error;
    }
  }

  /** The iterator, to hand over: from now on its items are the reader's caller's to take. */
  handOver(): AsyncIterator<T> {
    this.finished = true;
    return this.iterator;
  }

  /** Closes the iterator unless it ended or was handed over (the lead left early: stopped, or it threw). */
  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.iterator.return?.();
  }
}
