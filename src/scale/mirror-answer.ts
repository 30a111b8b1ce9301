import type { Redis } from 'ioredis';
import type { ChatStream } from '../chat/chat-stream';
import type { ChatEvent } from '../chat/events';
import type { Logger } from '../logger';
import { answerKeys, entryId } from './answer-keys';

export interface MirrorOptions {
  redis: Redis;
  /** Whose lease vouches for this answer while it runs. */
  instanceId: string;
  /** Entries kept per answer (MAXLEN), like the in-memory buffer. */
  maxEvents: number;
  /** How long an ended answer stays readable, like STREAM_TTL_MS. */
  ttlMs: number;
  /** The longest an answer may run; its keys expire after that even if nobody ends it. */
  maxRunMs: number;
  logger?: Logger | undefined;
}

/** What another instance needs to serve an answer it does not generate. */
export interface AnswerMeta {
  id: string;
  sessionId: string;
  owner: string | null;
  prompt: string;
  model: string;
  producer: string;
}

/**
 * Copies every event of a local answer, in order, to its Redis Stream, so viewers on other
 * instances read the same events under the same ids. It reads the stream's buffer the moment
 * each event is emitted, so it is no viewer: it keeps no answer alive past its grace period.
 * Commands go out on one connection in order; a failed write is logged, never thrown, so a
 * Redis outage leaves the local viewers unharmed.
 */
export function mirrorAnswer(stream: ChatStream, options: MirrorOptions): void {
  const { redis, logger } = options;
  const keys = answerKeys(stream.id);
  const liveTtl = options.maxRunMs + options.ttlMs;
  const fail = (error: unknown) =>
    logger?.warn('could not mirror an answer to redis', { id: stream.id, error: error instanceof Error ? error.message : String(error) });
  redis
    .multi()
    .hset(keys.meta, {
      session_id: stream.sessionId,
      owner: JSON.stringify(stream.owner),
      prompt: stream.prompt,
      model: stream.model,
      producer: options.instanceId,
    })
    .pexpire(keys.meta, liveTtl)
    .exec()
    .catch(fail);
  // A snapshot every quarter of the cap: a trimmed stream always still holds what follows it.
  const snapshotEvery = Math.max(1, Math.floor(options.maxEvents / 4));
  let next = 0;
  const write = (event: ChatEvent) => {
    const pipeline = redis
      .pipeline()
      .xadd(keys.events, 'MAXLEN', '~', String(options.maxEvents), entryId(event.id), 'type', event.type, 'data', JSON.stringify(event.data));
    const final = event.type === 'complete' || event.type === 'error';
    if (event.id === 0) pipeline.pexpire(keys.events, liveTtl);
    if (!final && event.id > 0 && event.id % snapshotEvery === 0) {
      pipeline.set(keys.snapshot, JSON.stringify(stream.catchUp(-1).map(({ id, type, data }) => ({ id, type, data }))), 'PX', liveTtl);
    }
    if (final) {
      pipeline.pexpire(keys.events, Math.max(1, options.ttlMs));
      pipeline.pexpire(keys.meta, Math.max(1, options.ttlMs));
      pipeline.pexpire(keys.snapshot, Math.max(1, options.ttlMs));
    }
    pipeline.exec().then((results) => {
      const error = results?.find(([e]) => e)?.[0];
      if (error) fail(error);
    }, fail);
  };
  const pump = () => {
    for (;;) {
      const event = stream.eventAt(next);
      if (event === 'pending') break;
      if (event !== 'evicted') write(event);
      next++;
    }
    if (!stream.ended) stream.waitForEvent(pump);
  };
  pump();
}

/** The meta hash as written above, or undefined when the answer is not in Redis. */
export function parseMeta(id: string, hash: Record<string, string>): AnswerMeta | undefined {
  if (hash.session_id === undefined || hash.producer === undefined) return undefined;
  return {
    id,
    sessionId: hash.session_id,
    owner: JSON.parse(hash.owner ?? 'null') as string | null,
    prompt: hash.prompt ?? '',
    model: hash.model ?? '',
    producer: hash.producer,
  };
}
