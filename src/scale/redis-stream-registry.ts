import type { ChatStream } from '../chat/chat-stream';
import type { AppError } from '../errors';
import { type Readiness, StreamRegistry, type StreamRegistryOptions } from '../chat/stream-registry';

/** What the registry asks of the Redis side. */
export interface AnswerMirror {
  /** Throws a CapacityError (503) while Redis is unreachable. */
  assertAvailable(): void;
  readonly available: boolean;
  /** Starts copying the answer's events to Redis. */
  mirror(stream: ChatStream): void;
}

/**
 * The in-memory registry, unchanged for the answers this instance generates, whose events it
 * also mirrors to Redis for viewers on other instances. New answers are refused while Redis is
 * unreachable: an answer no other instance could follow, stop or resume would break the
 * promise the load balancer makes.
 */
export class RedisStreamRegistry extends StreamRegistry {
  constructor(
    options: StreamRegistryOptions,
    private readonly redis: AnswerMirror,
  ) {
    super(options);
  }

  protected override assertRoom(): void {
    super.assertRoom();
    this.redis.assertAvailable();
  }

  protected override unavailable(): AppError | undefined {
    if (this.redis.available) return undefined;
    try {
      this.redis.assertAvailable();
    } catch (error) {
      return error as AppError;
    }
    return undefined;
  }

  override readiness(): Readiness {
    const readiness = super.readiness();
    return { ...readiness, admitting: readiness.admitting && this.redis.available };
  }

  override add(stream: ChatStream): void {
    super.add(stream);
    this.redis.mirror(stream);
  }
}
