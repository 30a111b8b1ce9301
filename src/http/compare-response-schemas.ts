import { z } from 'zod';
import { WINNERS } from '../compare/winner';

/** What the compare's JSON routes answer with, for `/openapi.json`; tests parse real responses with them. */
export const compareStopResultSchema = z
  .strictObject({
    compare_id: z.string(),
    status: z.enum(['stopping', 'ended']).meta({ description: '"ended" when both sides had already ended.' }),
  })
  .meta({ description: 'What POST /api/chat/compare/{id}/stop did.' });

export const voteResultSchema = z
  .strictObject({
    compare_id: z.string(),
    winner: z.enum(WINNERS),
    models: z.strictObject({ A: z.string(), B: z.string() }).meta({ description: 'Who answered on each side.' }),
  })
  .meta({ description: 'A stored vote.' });

const rate = z.number().min(0).max(1);

export const compareStatsSchema = z
  .strictObject({
    total_votes: z.number().int(),
    pairs: z.array(
      z.strictObject({
        model_a: z.string().meta({ description: 'The pair in name order, whichever side each model was on.' }),
        model_b: z.string(),
        votes: z.number().int(),
        wins_a: z.number().int(),
        wins_b: z.number().int(),
        ties: z.number().int(),
        both_bad: z.number().int(),
        win_rate_a: rate,
        win_rate_b: rate,
        tie_rate: rate,
        both_bad_rate: rate,
      }),
    ),
    ratings: z.strictObject({
      method: z.literal('elo').meta({ description: 'Elo, replaying the votes in the order cast; ties and "both bad" count as draws.' }),
      k: z.number(),
      initial: z.number(),
      models: z.array(
        z.strictObject({
          model: z.string(),
          rating: z.number(),
          votes: z.number().int(),
          wins: z.number().int(),
          losses: z.number().int(),
          draws: z.number().int(),
        }),
      ),
    }),
  })
  .meta({ description: 'GET /api/chat/compare/stats.' });
