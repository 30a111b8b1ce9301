import { Router } from 'express';
import type { CompareService } from '../../compare/compare-service';
import { encodeCompareSse } from '../../encoders/compare-sse';
import { pipeEvents } from '../../sse/pipe-events';
import { parseCompareRequest, parseStopSide, parseVoteRequest } from '../compare-request-schema';
import { requestUser } from '../request-user';

export interface CompareRoutesOptions {
  maxMessageChars: number;
  heartbeatMs: number;
}

/** The A/B compare: two answers streamed side by side, stopped together, and voted on. */
export function compareRoutes(compare: CompareService, options: CompareRoutesOptions): Router {
  const router = Router();

  router.post('/api/chat/compare/stream', async (req, res) => {
    const input = parseCompareRequest(req.body, options.maxMessageChars);
    const run = await compare.start({ ...input, owner: requestUser(res) });
    // The id before any event, so a client can stop or vote without parsing the stream.
    res.setHeader('X-Compare-Id', run.id);
    await pipeEvents(res, run.events, encodeCompareSse, { heartbeatMs: options.heartbeatMs });
  });

  router.post('/api/chat/compare/:id/stop', (req, res) => {
    const run = compare.require(req.params.id, requestUser(res));
    const side = parseStopSide(req.query.side);
    res.json({ compare_id: run.id, status: run.stop(side) ? 'stopping' : 'ended' });
  });

  router.post('/api/chat/compare/:id/vote', async (req, res) => {
    const owner = requestUser(res);
    compare.require(req.params.id, owner);
    const winner = parseVoteRequest(req.body);
    res.status(201).json(await compare.vote(req.params.id, owner, winner));
  });

  router.get('/api/chat/compare/stats', async (_req, res) => {
    res.json(await compare.stats());
  });

  return router;
}
