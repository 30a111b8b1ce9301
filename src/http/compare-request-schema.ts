import { z } from 'zod';
import type { Side } from '../compare/compare-events';
import type { CompareInput } from '../compare/compare-service';
import { WINNERS, type Winner } from '../compare/winner';
import { BadRequestError } from '../errors';
import { parseChatRequest } from './chat-request-schema';

const modelName = z.string().regex(/\S/).max(200);

/**
 * What `POST /api/chat/compare/stream` takes beyond the chat body's `message` and
 * `session_id`: the one source for validating and documenting those fields.
 */
export const compareFieldsSchema = z.object({
  models: z
    .tuple([modelName, modelName])
    .optional()
    .meta({ description: 'The two models, A then B; COMPARE_MODELS when left out.', example: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'] }),
  blind: z
    .boolean()
    .optional()
    .meta({ description: 'Hide the model names until the vote. Defaults to false.' }),
});

/** The body of `POST /api/chat/compare/:id/vote`. */
export const voteRequestSchema = z.object({
  winner: z.enum(WINNERS).meta({ description: 'The better answer, a tie, or neither.' }),
});

/** `?side=` of a compare's stop. */
export const stopSideSchema = z.enum(['A', 'B']).optional();

/**
 * Validates `POST /api/chat/compare/stream`: `message`, `session_id` and `documents` (or
 * `auto_load_documents`) as the chat body has them, then `models` and `blind`. Whether each
 * model is enabled is the ChatService's to say.
 */
export function parseCompareRequest(body: unknown, maxMessageChars: number): CompareInput {
  const { message, sessionId, documents } = parseChatRequest(body, maxMessageChars);
  const parsed = compareFieldsSchema.safeParse(body);
  if (!parsed.success) {
    if (parsed.error.issues.some((issue) => issue.path[0] === 'models')) {
      throw new BadRequestError(
        '"models" must be a list of two model names, A then B, such as ["openai/gpt-4o-mini", "anthropic/claude-3.5-haiku"].',
        'invalid_models',
      );
    }
    throw new BadRequestError('"blind" must be true or false.', 'invalid_blind');
  }
  return { message, sessionId, models: parsed.data.models, blind: parsed.data.blind, ...(documents === undefined ? {} : { documents }) };
}

/** Validates a vote's body: `{"winner": "A" | "B" | "tie" | "both_bad"}`. */
export function parseVoteRequest(body: unknown): Winner {
  const parsed = voteRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new BadRequestError('The body must be {"winner": "A"}, "B", "tie" or "both_bad".', 'invalid_winner');
  }
  return parsed.data.winner;
}

/** `?side=A` or `?side=B` on a stop: that side only; absent, both. */
export function parseStopSide(side: unknown): Side | undefined {
  const parsed = stopSideSchema.safeParse(side);
  if (!parsed.success) throw new BadRequestError('"side" must be "A" or "B", or left out to stop both.', 'invalid_side');
  return parsed.data;
}
