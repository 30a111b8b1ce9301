import type { Side } from '../compare/compare-events';
import type { CompareInput } from '../compare/compare-service';
import { WINNERS, type Winner } from '../compare/winner';
import { BadRequestError } from '../errors';
import { parseChatRequest } from './chat-request-schema';

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * Validates `POST /api/chat/compare/stream`: the chat body's `message` and `session_id`, plus
 * `models` (two names) and `blind`. Whether each model is enabled is the ChatService's to say.
 */
export function parseCompareRequest(body: unknown, maxMessageChars: number): CompareInput {
  const { message, sessionId } = parseChatRequest(body, maxMessageChars);
  const models = field(body, 'models');
  if (
    models !== undefined &&
    (!Array.isArray(models) ||
      models.length !== 2 ||
      !models.every((m) => typeof m === 'string' && m.trim() !== '' && m.length <= 200))
  ) {
    throw new BadRequestError(
      '"models" must be a list of two model names, A then B, such as ["openai/gpt-4o-mini", "anthropic/claude-3.5-haiku"].',
      'invalid_models',
    );
  }
  const blind = field(body, 'blind');
  if (blind !== undefined && typeof blind !== 'boolean') {
    throw new BadRequestError('"blind" must be true or false.', 'invalid_blind');
  }
  return { message, sessionId, models: models as [string, string] | undefined, blind };
}

/** Validates a vote's body: `{"winner": "A" | "B" | "tie" | "both_bad"}`. */
export function parseVoteRequest(body: unknown): Winner {
  const winner = field(body, 'winner');
  if (typeof winner !== 'string' || !(WINNERS as readonly string[]).includes(winner)) {
    throw new BadRequestError('The body must be {"winner": "A"}, "B", "tie" or "both_bad".', 'invalid_winner');
  }
  return winner as Winner;
}

/** `?side=A` or `?side=B` on a stop: that side only; absent, both. */
export function parseStopSide(side: unknown): Side | undefined {
  if (side === undefined) return undefined;
  if (side !== 'A' && side !== 'B') throw new BadRequestError('"side" must be "A" or "B", or left out to stop both.', 'invalid_side');
  return side;
}
