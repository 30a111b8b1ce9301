import path from 'node:path';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { ChatService } from '../../chat/chat-service';
import type { Config } from '../../config/config';
import type { ConversationService } from '../../conversations/conversation-service';
import type { Conversation } from '../../conversations/types';
import { AppError } from '../../errors';
import { renderMarkdown } from '../../markdown';
import { conversationTurns } from '../../pages/conversation-turns';
import { fragmentErrors } from '../../pages/fragment-errors';
import { pageHeaders } from '../../pages/page-headers';
import { CONVERSATION_PATH, PAGE_PATH } from '../../pages/page-paths';
import { vendorAssets } from '../../pages/vendor-assets';
import { createViews, type PageModel } from '../../pages/views';
import type { SidebarItem } from '../../pages/view-models';
import { requestUser } from '../request-user';
import { conversationActionRoutes } from './conversation-action-routes';
import type { PageContext } from './page-context';

// Top-level public/: three levels up from both src/http/routes and dist/http/routes.
const PUBLIC_DIR = path.resolve(__dirname, '../../../public');
const ID = /^[A-Za-z0-9_-]{1,128}$/;
/** How many conversations the sidebar lists. */
const SIDEBAR_SIZE = 100;

/**
 * The /ai-demo page: server-rendered with Eta, htmx 4 posting the forms and streaming answers
 * over SSE, Alpine's CSP build keeping the UI state. A new chat at /ai-demo, each conversation
 * at /ai-demo/c/<session_id> with its whole history. Serves public/ and the vendor scripts from
 * node_modules; nothing is fetched from elsewhere.
 */
export function pageRoutes(config: Config, chat: ChatService, conversations: ConversationService): Router {
  const router = Router();
  const maxMessageChars = config.http.maxMessageChars;
  const views = createViews({ cache: config.env !== 'development', maxMessageChars });
  const headers = pageHeaders(config.render.allowedImageHosts);
  const models = chat.models;
  const render = (markdown: string) => renderMarkdown(markdown, { allowedImageHosts: config.render.allowedImageHosts });

  const context: PageContext = {
    config,
    chat,
    conversations,
    views,
    headers,
    async sidebar(res, current) {
      const page = await conversations.list(requestUser(res), { limit: SIDEBAR_SIZE });
      return page.sessions.map((s) => ({ id: s.id, title: s.title, current: s.id === current }));
    },
  };

  function basePage(sidebar: SidebarItem[]): PageModel {
    return {
      title: config.upstream.appTitle,
      models,
      selectedModel: models[0]!,
      mockMode: config.upstream.apiKey === '',
      maxMessageChars,
      sidebar,
      documentMaxBytes: config.documents.maxBytes,
    };
  }

  function sendPage(res: Response, model: PageModel, status = 200): void {
    res.status(status).set(headers).type('html').send(views.page(model));
  }

  router.get('/', (_req, res) => res.redirect(PAGE_PATH));

  router.use('/static', express.static(PUBLIC_DIR, { index: false, redirect: false }));
  for (const [url, file] of Object.entries(vendorAssets())) {
    router.get(url, (_req, res) => res.sendFile(file));
  }

  // A new chat; `?stream=` shows an answer again by its id (the links of earlier versions).
  router.get(PAGE_PATH, async (req, res) => {
    const id = typeof req.query.stream === 'string' && ID.test(req.query.stream) ? req.query.stream : undefined;
    const stream = id === undefined ? undefined : chat.get(id, requestUser(res));
    const model = basePage(await context.sidebar(res, stream?.sessionId));
    sendPage(res, {
      ...model,
      selectedModel: stream?.model ?? model.selectedModel,
      exchange: stream && { streamId: stream.id, prompt: stream.prompt, sessionId: stream.sessionId },
      notice:
        id !== undefined && !stream ? 'The answer in this link is no longer kept on the server. Ask again below.' : undefined,
    });
  });

  router.get(CONVERSATION_PATH, async (req: Request, res) => {
    const id = req.params.sessionId;
    const owner = requestUser(res);
    const conversation: Conversation | undefined =
      typeof id === 'string' && ID.test(id) ? await conversations.conversation(id, owner).catch(notFound) : undefined;
    const sidebar = await context.sidebar(res, conversation?.session.id);
    if (!conversation) {
      sendPage(
        res,
        { ...basePage(sidebar), notice: 'This conversation does not exist, or it was deleted. Ask something to start a new one.' },
        404,
      );
      return;
    }
    const lastModel = conversation.messages.findLast((m) => m.role === 'assistant')?.model;
    sendPage(res, {
      ...basePage(sidebar),
      selectedModel: lastModel && models.includes(lastModel) ? lastModel : models[0]!,
      conversation: { id: conversation.session.id, title: conversation.session.title },
      turns: conversationTurns(conversation, render),
    });
  });

  router.use(conversationActionRoutes(context));
  return router;
}

/** A conversation that is not there (or not the caller's) is a 404 page, any other error goes on. */
function notFound(error: unknown): undefined {
  if (error instanceof AppError && error.status === 404) return undefined;
  throw error;
}

/**
 * Errors of the page's POSTs as fragments for the form. Mounted by the app on PAGE_PATH after
 * every route, so that errors of the app's own guards (rate limits, auth, shutdown) reach it too.
 */
export function pageErrorHandler(config: Config): ErrorRequestHandler {
  return fragmentErrors(createViews({ cache: config.env !== 'development', maxMessageChars: config.http.maxMessageChars }), pageHeaders(config.render.allowedImageHosts));
}
