import { Router, type Request, type Response } from 'express';
import type { ChatService } from '../../chat/chat-service';
import type { ChatEvent } from '../../chat/events';
import { BadRequestError, CapacityError, NotFoundError, quoteValue } from '../../errors';
import { encodeHtmlSse } from '../../encoders/html-sse';
import { encodeJsonSse } from '../../encoders/json-sse';
import { type PipeOptions, pipeEvents } from '../../sse/pipe-events';
import type { WatchableAnswer } from '../../scale/watchable-answer';
import { parseChatRequest } from '../chat-request-schema';
import { requestUser } from '../request-user';
import { isFirstToken } from './first-token';

/** An answer another instance generates (REDIS_URL), if `owner` may see it. */
export type FindRemoteAnswer = (id: string, owner: string | null) => Promise<WatchableAnswer | undefined>;

export interface StreamRoutesOptions extends PipeOptions {
  maxMessageChars: number;
  maxViewers: number;
  findRemote?: FindRemoteAnswer;
}

async function findStream(service: ChatService, id: string, res: Response, findRemote?: FindRemoteAnswer): Promise<WatchableAnswer> {
  const owner = requestUser(res);
  const stream = service.get(id, owner) ?? (await findRemote?.(id, owner));
  if (!stream) {
    throw new NotFoundError(
      `No answer with id ${quoteValue(id)} is live or kept; it may have expired. Start a new one with POST /api/chat/messages.`,
      'stream_not_found',
    );
  }
  return stream;
}

/** `Last-Event-ID` from the header (EventSource reconnects) or `?last_event_id=` (first connects). */
function lastEventId(req: Request, stream: WatchableAnswer): number {
  const raw = req.get('last-event-id') ?? (typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined);
  if (raw === undefined || raw === '') return -1;
  if (!/^-?\d+$/.test(raw) || Number(raw) < -1 || Number(raw) > stream.lastEventId) {
    throw new BadRequestError(
      `Last-Event-ID ${quoteValue(raw)} is not an event of this answer; it has events 0 to ${stream.lastEventId}.`,
      'invalid_last_event_id',
    );
  }
  return Number(raw);
}

/**
 * The two-step API the page uses: start an answer, then watch it from any number of
 * connections (resuming with Last-Event-ID), as JSON or as HTML fragments, and stop it.
 */
export function streamRoutes(service: ChatService, options: StreamRoutesOptions): Router {
  const router = Router();

  router.post('/api/chat/messages', async (req, res) => {
    const input = parseChatRequest(req.body, options.maxMessageChars);
    const stream = await service.start({ ...input, owner: requestUser(res) });
    res
      .status(202)
      .location(`/api/chat/streams/${stream.id}`)
      .json({ id: stream.id, session_id: stream.sessionId, stream_url: `/api/chat/streams/${stream.id}` });
  });

  router.get('/api/chat/streams/:id', async (req, res) => {
    const stream = await findStream(service, req.params.id, res, options.findRemote);
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'html') {
      throw new BadRequestError('"format" must be "json" or "html".', 'invalid_format');
    }
    const after = lastEventId(req, stream);
    if (stream.viewerCount >= options.maxViewers) {
      throw new CapacityError(
        `This answer already has its limit of viewers (${options.maxViewers}). Close another tab watching it and try again.`,
        'too_many_viewers',
        429,
      );
    }
    const encode =
      format === 'html' ? (event: ChatEvent) => encodeHtmlSse(event, stream.id, stream.prompt) : encodeJsonSse;
    await pipeEvents(res, stream.subscribe(after), encode, { ...options, sendFirstAtOnce: isFirstToken });
  });

  router.post('/api/chat/streams/:id/stop', async (req, res) => {
    const stream = await findStream(service, req.params.id, res, options.findRemote);
    const stopped = stream.stop();
    res.json({ id: stream.id, status: stopped ? 'stopping' : 'ended' });
  });

  return router;
}
