import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Store } from 'express-rate-limit';
import type { ChatStream } from '../chat/chat-stream';
import type { ChatSubscription } from '../chat/chat-subscription';
import type { StreamRegistryOptions } from '../chat/stream-registry';
import type { Logger } from '../logger';
import type { ConversationStore } from '../stores/conversation-store';
import { CONTROL_CHANNEL, leaseKey } from './answer-keys';
import { type AnswerMeta, mirrorAnswer } from './mirror-answer';
import { RedisConnection, type RedisHealth } from './redis-connection';
import { type AnswerMirror, RedisStreamRegistry } from './redis-stream-registry';
import { RemoteAnswers, unavailable } from './remote-answers';
import { sharedRateLimitStore } from './shared-rate-limit-store';

export interface ScaleOutOptions {
  redisUrl: string;
  leaseMs: number;
  registry: StreamRegistryOptions;
  maxEvents: number;
  /** The longest an answer may run (UPSTREAM_MAX_DURATION_MS). */
  maxRunMs: number;
  store: ConversationStore;
  now: () => string;
  logger?: Logger | undefined;
  /** Tests name their instances. */
  instanceId?: string;
}

type ControlMessage = { op: 'stop'; id: string } | { op: 'watch'; id: string; producer: string; from: string; viewers: number };

/**
 * Everything one instance shares with the others through Redis: its answers' events (mirrored
 * by its registry), the answers others generate (`remote`), its lease, the control channel
 * that carries Stop and remote viewer counts to the producer, the rate-limit counts and the
 * Socket.IO adapter.
 */
export class ScaleOut implements AnswerMirror {
  readonly instanceId: string;
  readonly connection: RedisConnection;
  readonly registry: RedisStreamRegistry;
  readonly remote: RemoteAnswers;
  private readonly subscriber;
  private readonly leaseTimer: NodeJS.Timeout;
  /** Per local answer: viewers on each other instance, and the one viewer that stands for them. */
  private readonly remoteViewers = new Map<string, { counts: Map<string, number>; stand: ChatSubscription | undefined }>();

  constructor(private readonly options: ScaleOutOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.connection = new RedisConnection(options.redisUrl, options.logger);
    this.registry = new RedisStreamRegistry(options.registry, this);
    this.remote = new RemoteAnswers({
      connection: this.connection,
      store: options.store,
      leaseMs: options.leaseMs,
      ttlMs: options.registry.ttlMs,
      now: options.now,
      logger: options.logger,
      announce: (meta, viewers) => this.announce(meta, viewers),
    });
    this.subscriber = this.connection.duplicate('control');
    this.subscriber.subscribe(CONTROL_CHANNEL).catch(() => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => this.onControl(message));
    // At once on every (re)connection: an answer may start before the first tick.
    this.connection.client.on('ready', () => this.renewLease());
    // The lease outlives two missed renewals, and a viewer checks it every LEASE_MS/10: a
    // dead producer is noticed within LEASE_MS.
    this.leaseTimer = setInterval(() => this.tick(), Math.max(50, Math.floor(options.leaseMs / 5)));
    this.leaseTimer.unref();
  }

  get available(): boolean {
    return this.connection.up;
  }

  /** Throws a CapacityError (503) while Redis is unreachable. */
  assertAvailable(): void {
    if (!this.connection.up) throw unavailable();
  }

  health(): RedisHealth {
    return this.connection.health();
  }

  rateLimitStore(budget: string): Store {
    return sharedRateLimitStore(this.connection.client, budget);
  }

  /** The Socket.IO adapter: rooms and broadcasts reach sockets on every instance. */
  socketAdapter(): ReturnType<typeof createAdapter> {
    return createAdapter(this.connection.duplicate('socket-pub'), this.connection.duplicate('socket-sub'), { key: 'chat:socket.io' });
  }

  async close(): Promise<void> {
    clearInterval(this.leaseTimer);
    await this.connection.client.del(leaseKey(this.instanceId)).catch(() => undefined);
    await this.connection.close();
  }

  /** Copies a local answer's events to Redis, and forgets its remote viewers once it ends. */
  mirror(stream: ChatStream): void {
    mirrorAnswer(stream, {
      redis: this.connection.client,
      instanceId: this.instanceId,
      maxEvents: this.options.maxEvents,
      ttlMs: this.options.registry.ttlMs,
      maxRunMs: this.options.maxRunMs,
      logger: this.options.logger,
    });
    void stream.done.then(() => {
      this.remoteViewers.get(stream.id)?.stand?.close();
      this.remoteViewers.delete(stream.id);
    });
  }

  private tick(): void {
    this.renewLease();
    this.remote.announceAll();
    void this.dropDeadWatchers();
  }

  private renewLease(): void {
    const ttl = Math.max(100, Math.floor((this.options.leaseMs * 2) / 3));
    this.connection.client.set(leaseKey(this.instanceId), '1', 'PX', ttl).catch(() => undefined);
  }

  private announce(meta: AnswerMeta, viewers: number): void {
    const message: ControlMessage = { op: 'watch', id: meta.id, producer: meta.producer, from: this.instanceId, viewers };
    this.connection.client.publish(CONTROL_CHANNEL, JSON.stringify(message)).catch(() => undefined);
  }

  private onControl(raw: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(raw) as ControlMessage;
    } catch {
      return;
    }
    const stream = this.registry.get(message.id);
    if (!stream || stream.ended) return;
    if (message.op === 'stop') stream.stop();
    else if (message.producer === this.instanceId) this.countRemote(stream, message.from, message.viewers);
  }

  /**
   * While any other instance has a viewer of a local answer, one subscription here stands for
   * them all, so the grace period runs only once nobody anywhere watches.
   */
  private countRemote(stream: ChatStream, from: string, viewers: number): void {
    const entry = this.remoteViewers.get(stream.id) ?? { counts: new Map<string, number>(), stand: undefined };
    this.remoteViewers.set(stream.id, entry);
    if (viewers > 0) entry.counts.set(from, viewers);
    else entry.counts.delete(from);
    if (entry.counts.size > 0 && !entry.stand) entry.stand = stream.subscribe(stream.lastEventId);
    if (entry.counts.size === 0 && entry.stand) {
      entry.stand.close();
      entry.stand = undefined;
    }
  }

  /** Viewers of an instance that died (its lease gone) watch no more. */
  private async dropDeadWatchers(): Promise<void> {
    for (const [id, entry] of this.remoteViewers) {
      for (const from of entry.counts.keys()) {
        const alive = await this.connection.client.exists(leaseKey(from)).catch(() => 1);
        const stream = this.registry.get(id);
        if (alive === 0 && stream) this.countRemote(stream, from, 0);
      }
    }
  }
}
