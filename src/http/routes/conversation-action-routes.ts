import express, { Router, type Request, type Response } from 'express';
import type { ChatStream } from '../../chat/chat-stream';
import { AppError, ConflictError, NotFoundError } from '../../errors';
import {
  DELETE_PATH,
  EDIT_PATH,
  MESSAGES_PATH,
  PAGE_PATH,
  REGENERATE_PATH,
  RENAME_PATH,
  RETRY_PATH,
  conversationUrl,
} from '../../pages/page-paths';
import { requireHtmxRequest } from '../../pages/require-htmx-request';
import { parseChatRequest } from '../chat-request-schema';
import { requestUser } from '../request-user';
import { parseMessageId, parseSessionId } from '../session-request-schema';
import type { PageContext } from './page-context';

function formFields(req: Request): Record<string, unknown> {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw new AppError('Send the form as application/x-www-form-urlencoded.', { status: 415, code: 'unsupported_media_type' });
  }
  return (req.body ?? {}) as Record<string, unknown>;
}

/** A form always sends its fields; an empty one means "not given". */
const given = (value: unknown) => (value === '' ? undefined : value);

/**
 * What the page's forms and buttons do to a conversation: ask (starting one when needed), retry
 * or regenerate the last answer, edit the last question, rename, delete. Each calls the chat or
 * conversation service and answers with the fragment htmx swaps in; errors become the form's
 * error fragment (see fragment-errors.ts).
 */
export function conversationActionRoutes(context: PageContext): Router {
  const { config, chat, conversations, views, headers } = context;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: config.http.bodyLimitBytes, parameterLimit: 10 });
  const maxMessageChars = config.http.maxMessageChars;

  function sendHtml(res: Response, body: string): void {
    res.set(headers).type('html').send(body);
  }

  /** The id of the question `answer` answers, so that its Edit can name it. */
  async function questionOf(answer: ChatStream, owner: string | null): Promise<string | undefined> {
    const { messages } = await conversations.conversation(answer.sessionId, owner);
    const at = messages.findIndex((m) => m.id === answer.id);
    return at > 0 ? messages[at - 1]!.id : undefined;
  }

  /**
   * The documents a new answer in place of `answerId` (else the last answer) searches: the same
   * as the one it replaces. The page asks with all of the caller's documents or none, so an answer
   * that had sources (stored, or on its live stream) was asked with "all"; ids it might have been
   * asked with through the API are not kept, and "all" still finds what they held.
   */
  async function scopeOf(sessionId: string, owner: string | null, answerId?: string): Promise<'all' | undefined> {
    const { messages } = await conversations.conversation(sessionId, owner);
    const answer = answerId === undefined ? messages.findLast((m) => m.role === 'assistant') : messages.find((m) => m.id === answerId);
    if (!answer) return undefined;
    const grounded = chat.get(answer.id, owner)?.groundedOn ?? answer.sources;
    return grounded ? 'all' : undefined;
  }

  router.post(MESSAGES_PATH, requireHtmxRequest, form, async (req, res) => {
    const body = formFields(req);
    const input = parseChatRequest(
      {
        message: body.message,
        model: given(body.model),
        session_id: given(body.session_id),
        // The "Use my documents" toggle: a checkbox sends "on" unless it names a value.
        ...(['all', 'on', 'true'].includes(String(given(body.documents))) ? { documents: 'all' } : {}),
      },
      maxMessageChars,
    );
    const owner = requestUser(res);
    const stream = await chat.start({ ...input, owner });
    const exchange = {
      streamId: stream.id,
      prompt: stream.prompt,
      sessionId: stream.sessionId,
      userMessageId: await questionOf(stream, owner),
    };
    if (input.sessionId !== undefined) {
      sendHtml(res, views.exchange(exchange));
      return;
    }
    // The first message starts a conversation: it gets its URL, its title bar and its place in the list.
    const session = await conversations.get(stream.sessionId, owner);
    const sidebar = await context.sidebar(res, session.id);
    res.set('HX-Replace-Url', conversationUrl(session.id));
    sendHtml(res, views.exchange(exchange, { header: { id: session.id, title: session.title }, sidebar }));
  });

  // Retry on an answer that failed while it was watched: a new answer in its place.
  router.post(RETRY_PATH, requireHtmxRequest, async (req, res) => {
    const owner = requestUser(res);
    const failed = typeof req.params.id === 'string' ? chat.get(req.params.id, owner) : undefined;
    if (!failed) {
      throw new NotFoundError('That question is no longer kept on the server. Type it again.', 'stream_not_found');
    }
    const { messages } = await conversations.conversation(failed.sessionId, owner);
    if (messages.findLast((m) => m.role === 'assistant')?.id !== failed.id) {
      throw new ConflictError('Only the last answer can be asked again. Send the question again instead.', 'not_last_answer');
    }
    const documents = failed.groundedOn ? 'all' : undefined;
    const stream = await chat.regenerate({ sessionId: failed.sessionId, owner, model: failed.model, documents });
    sendHtml(res, views.answer({ streamId: stream.id, prompt: stream.prompt, sessionId: stream.sessionId }));
  });

  router.post(REGENERATE_PATH, requireHtmxRequest, async (req, res) => {
    const sessionId = parseSessionId(req.params.sessionId);
    // The page names the answer it shows; a page older than the conversation gets a 409, not a swap.
    const answerId = req.query.answer === undefined ? undefined : parseMessageId(req.query.answer);
    const owner = requestUser(res);
    const stream = await chat.regenerate({ sessionId, owner, answerId, documents: await scopeOf(sessionId, owner, answerId) });
    sendHtml(res, views.answer({ streamId: stream.id, prompt: stream.prompt, sessionId }));
  });

  router.post(EDIT_PATH, requireHtmxRequest, form, async (req, res) => {
    const sessionId = parseSessionId(req.params.sessionId);
    const messageId = parseMessageId(req.params.messageId);
    const { message } = parseChatRequest({ message: formFields(req).message }, maxMessageChars);
    const owner = requestUser(res);
    const { messages } = await conversations.conversation(sessionId, owner);
    const at = messages.findIndex((m) => m.id === messageId);
    // The answer the edit replaces; an edit of no known question is refused by editLastMessage below.
    const answerId = at < 0 ? undefined : messages[at + 1]?.id;
    const documents = answerId === undefined ? undefined : await scopeOf(sessionId, owner, answerId);
    const stream = await chat.editLastMessage({ sessionId, messageId, owner, content: message, documents });
    sendHtml(res, views.turn({ streamId: stream.id, prompt: stream.prompt, sessionId, userMessageId: messageId }));
  });

  router.post(RENAME_PATH, requireHtmxRequest, form, async (req, res) => {
    const sessionId = parseSessionId(req.params.sessionId);
    const title = formFields(req).title;
    const session = await conversations.rename(sessionId, requestUser(res), typeof title === 'string' ? title : '');
    sendHtml(res, views.renamed({ id: session.id, title: session.title }, await context.sidebar(res, session.id)));
  });

  router.post(DELETE_PATH, requireHtmxRequest, async (req, res) => {
    await conversations.delete(parseSessionId(req.params.sessionId), requestUser(res));
    // Back to a new chat; the deleted conversation's URL is a 404 from now on.
    res.set(headers).set('HX-Redirect', PAGE_PATH).status(204).end();
  });

  return router;
}
