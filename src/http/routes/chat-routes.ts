import { Router } from 'express';
import type { ChatService } from '../../chat/chat-service';
import { ShuttingDownError } from '../../errors';
import { encodeJsonBody } from '../../encoders/json-body';
import { encodeJsonSse } from '../../encoders/json-sse';
import { type PipeOptions, pipeEvents } from '../../sse/pipe-events';
import { parseChatRequest } from '../chat-request-schema';
import { requestUser } from '../request-user';
import { isFirstToken } from './first-token';

/** The streaming route, which the app also serves without Express's router (src/http/direct-route.ts). */
export const STREAM_PATH = '/api/chat/stream';

export interface ChatRoutesOptions extends PipeOptions {
  maxMessageChars: number;
}

/** `POST /api/chat/stream` (SSE) and `POST /api/chat` (JSON): one answer per request. */
export function chatRoutes(service: ChatService, options: ChatRoutesOptions): Router {
  const router = Router();
  const pipe = { ...options, sendFirstAtOnce: isFirstToken };

  router.post(STREAM_PATH, async (req, res) => {
    const input = parseChatRequest(req.body, options.maxMessageChars);
    // graceMs 0: the answer belongs to this connection and is aborted the moment it closes.
    const stream = await service.start({ ...input, owner: requestUser(res) }, { graceMs: 0 });
    await pipeEvents(res, stream.subscribe(), encodeJsonSse, pipe);
  });

  router.post('/api/chat', async (req, res) => {
    const input = parseChatRequest(req.body, options.maxMessageChars);
    const stream = await service.start({ ...input, owner: requestUser(res) }, { graceMs: 0 });
    const viewer = stream.subscribe();
    res.on('close', () => viewer.close());
    const final = await stream.done;
    viewer.close();
    if (res.destroyed) return;
    if (final.type === 'error') throw final.cause;
    // A body cut short by a restart is not an answer: say so, so the client sends it again.
    if (final.type === 'complete' && final.data.finish_reason === 'shutdown') throw new ShuttingDownError();
    if (final.type === 'complete') res.json(encodeJsonBody(final.data, stream.start));
  });

  return router;
}
