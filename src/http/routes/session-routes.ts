import { Router, type Response } from 'express';
import type { ChatService } from '../../chat/chat-service';
import type { ChatStream } from '../../chat/chat-stream';
import type { ConversationService } from '../../conversations/conversation-service';
import { requestUser } from '../request-user';
import { cursorParam, messageJson, sessionJson } from '../session-json';
import {
  parseEditBody,
  parseExportFormat,
  parseListQuery,
  parseMessageId,
  parseRegenerateBody,
  parseRenameBody,
  parseSessionId,
} from '../session-request-schema';

export interface SessionRoutesOptions {
  maxMessageChars: number;
}

/** What `POST /api/chat/messages` answers with: where to watch the answer just started. */
function sendStarted(res: Response, stream: ChatStream): void {
  const url = `/api/chat/streams/${stream.id}`;
  res.status(202).location(url).json({ id: stream.id, session_id: stream.sessionId, stream_url: url });
}

/** The conversations of the caller: list, read, rename, delete, export, regenerate, edit. */
export function sessionRoutes(
  chat: ChatService,
  conversations: ConversationService,
  options: SessionRoutesOptions,
): Router {
  const router = Router();

  router.get('/api/chat/sessions', async (req, res) => {
    const page = await conversations.list(requestUser(res), parseListQuery(req.query));
    res.json({ sessions: page.sessions.map(sessionJson), next_before: cursorParam(page.next) });
  });

  router.get('/api/chat/sessions/:id', async (req, res) => {
    res.json(sessionJson(await conversations.get(parseSessionId(req.params.id), requestUser(res))));
  });

  router.patch('/api/chat/sessions/:id', async (req, res) => {
    const id = parseSessionId(req.params.id);
    const title = parseRenameBody(req.body);
    res.json(sessionJson(await conversations.rename(id, requestUser(res), title)));
  });

  router.delete('/api/chat/sessions/:id', async (req, res) => {
    await conversations.delete(parseSessionId(req.params.id), requestUser(res));
    res.json({ success: true, message: 'Session deleted' });
  });

  router.get('/api/chat/sessions/:id/messages', async (req, res) => {
    const { session, messages } = await conversations.conversation(parseSessionId(req.params.id), requestUser(res));
    res.json({ session_id: session.id, messages: messages.map(messageJson) });
  });

  router.get('/api/chat/sessions/:id/export', async (req, res) => {
    const id = parseSessionId(req.params.id);
    const format = parseExportFormat(req.query.format);
    const file = await conversations.export(id, requestUser(res), format);
    res.type(file.contentType).attachment(file.filename).send(file.body);
  });

  router.post('/api/chat/sessions/:id/regenerate', async (req, res) => {
    const sessionId = parseSessionId(req.params.id);
    const { model, answerId, documents } = parseRegenerateBody(req.body);
    sendStarted(res, await chat.regenerate({ sessionId, owner: requestUser(res), model, answerId, documents }));
  });

  router.patch('/api/chat/sessions/:id/messages/:message_id', async (req, res) => {
    const sessionId = parseSessionId(req.params.id);
    const messageId = parseMessageId(req.params.message_id);
    const { content, model, documents } = parseEditBody(req.body, options.maxMessageChars);
    sendStarted(res, await chat.editLastMessage({ sessionId, messageId, owner: requestUser(res), content, model, documents }));
  });

  return router;
}
