import { errorResponses, jsonRequestBody, jsonResponse } from '../response-helpers';
import { OPTIONAL_BEARER, startErrors } from './shared';

type Json = Record<string, unknown>;

const compareId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The compare id from `X-Compare-Id` or the `start` event.',
  schema: { type: 'string' },
};
const NOT_FOUND = [['compare_not_found'], 'No such compare for this caller, or it expired (STREAM_TTL_MS after it ended).'] as const;

/** The A/B compare: two answers streamed side by side, stopped, voted on, and counted. */
export function comparePaths(): Json {
  return {
    '/api/chat/compare/stream': {
      post: {
        tags: ['compare'],
        summary: 'Ask two models at once and stream both answers interleaved',
        description:
          'Named events `start` (first, with `compare_id`), `side_start` (per side: source and fallback label), `side_progress` and `side_reasoning`, unnamed data lines ' +
          '`{"model": "A"|"B", "token", "done", …}` per delta and per side end, then `complete` with both summaries. Closing the ' +
          'connection aborts both upstream requests. Every field: docs/protocol.md, "A/B compare".',
        operationId: 'streamCompare',
        security: OPTIONAL_BEARER,
        requestBody: jsonRequestBody('CompareRequest'),
        responses: {
          200: {
            description: 'The compare as SSE frames.',
            headers: { 'X-Compare-Id': { description: 'The compare id, to stop or vote.', schema: { type: 'string' } } },
            content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/CompareEventStream' } } },
          },
          ...errorResponses({
            ...startErrors,
            400: [[...startErrors[400][0], 'invalid_models', 'invalid_blind'], 'The body is not JSON, or not a valid compare request.'],
            404: [['session_not_found'], '`session_id` names no conversation of this caller.'],
          }),
        },
      },
    },
    '/api/chat/compare/{id}/stop': {
      post: {
        tags: ['compare'],
        summary: 'Stop both sides (or one), keeping what each wrote',
        operationId: 'stopCompare',
        security: OPTIONAL_BEARER,
        parameters: [
          compareId,
          { name: 'side', in: 'query', description: 'Stop only this side.', schema: { type: 'string', enum: ['A', 'B'] } },
        ],
        responses: {
          200: jsonResponse('Stopping, or both had already ended.', 'CompareStopResult'),
          ...errorResponses({ 400: [['invalid_side'], 'A `side` that is not A or B.'], 404: NOT_FOUND }),
        },
      },
    },
    '/api/chat/compare/{id}/vote': {
      post: {
        tags: ['compare'],
        summary: 'Vote on a finished compare, once',
        description: 'Stored in SQLite with the prompt, both model names and both answers. The reply names both models, blind or not.',
        operationId: 'voteCompare',
        security: OPTIONAL_BEARER,
        parameters: [compareId],
        requestBody: jsonRequestBody('VoteRequest'),
        responses: {
          201: jsonResponse('The vote is stored.', 'VoteResult'),
          ...errorResponses({
            400: [['invalid_json', 'invalid_winner'], 'Not a vote.'],
            404: NOT_FOUND,
            409: [['compare_not_finished', 'already_voted'], 'A side still streams, or the compare has its vote.'],
          }),
        },
      },
    },
    '/api/chat/compare/stats': {
      get: {
        tags: ['compare'],
        summary: 'Votes counted per model pair, and each model\'s Elo rating',
        operationId: 'compareStats',
        security: OPTIONAL_BEARER,
        responses: { 200: jsonResponse('Every stored vote, counted.', 'CompareStats') },
      },
    },
  };
}
