import path from 'node:path';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { ChatInput, ChatService } from '../../chat/chat-service';
import type { Config } from '../../config/config';
import { AppError, NotFoundError } from '../../errors';
import { fragmentErrors } from '../../pages/fragment-errors';
import { pageHeaders } from '../../pages/page-headers';
import { MESSAGES_PATH, PAGE_PATH, RETRY_PATH, pageUrlFor } from '../../pages/page-paths';
import { requireHtmxRequest } from '../../pages/require-htmx-request';
import { vendorAssets } from '../../pages/vendor-assets';
import { createViews } from '../../pages/views';
import { parseChatRequest } from '../chat-request-schema';
import { requestUser } from '../request-user';

// Top-level public/: three levels up from both src/http/routes and dist/http/routes.
const PUBLIC_DIR = path.resolve(__dirname, '../../../public');
const STREAM_ID = /^[A-Za-z0-9_-]{1,128}$/;

function formBody(req: Request): { message?: unknown; model?: unknown } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  // A form always sends the picker's field; an empty one means "the default model".
  return { message: body.message, model: body.model === '' ? undefined : body.model };
}

/**
 * The /ai-demo page: server-rendered with Eta, htmx 4 posting the form and streaming answers
 * over SSE, Alpine's CSP build keeping the UI state. Serves public/ and the vendor scripts
 * from node_modules; nothing is fetched from elsewhere.
 */
export function pageRoutes(config: Config, service: ChatService): Router {
  const router = Router();
  const views = createViews({ cache: config.env !== 'development' });
  const headers = pageHeaders(config.render.allowedImageHosts);
  const models = service.models;
  const maxMessageChars = config.http.maxMessageChars;

  function sendExchange(res: Response, input: ChatInput): void {
    const stream = service.start({ ...input, owner: requestUser(res) });
    const body = views.exchange({ streamId: stream.id, prompt: stream.prompt });
    res
      .set(headers)
      // The reload of this URL shows the same answer, replayed from its first event.
      .set('HX-Replace-Url', pageUrlFor(stream.id))
      .type('html')
      .send(body);
  }

  router.get('/', (_req, res) => res.redirect(PAGE_PATH));

  router.use('/static', express.static(PUBLIC_DIR, { index: false, redirect: false }));
  for (const [url, file] of Object.entries(vendorAssets())) {
    router.get(url, (_req, res) => res.sendFile(file));
  }

  router.get(PAGE_PATH, (req, res) => {
    const id = typeof req.query.stream === 'string' && STREAM_ID.test(req.query.stream) ? req.query.stream : undefined;
    const stream = id === undefined ? undefined : service.get(id, requestUser(res));
    res
      .set(headers)
      .type('html')
      .send(
        views.page({
          title: config.upstream.appTitle,
          models,
          selectedModel: stream?.model ?? models[0]!,
          mockMode: config.upstream.apiKey === '',
          maxMessageChars,
          exchange: stream && { streamId: stream.id, prompt: stream.prompt },
          notice:
            id !== undefined && !stream
              ? 'The answer in this link is no longer kept on the server. Ask again below.'
              : undefined,
        }),
      );
  });

  const form = express.urlencoded({ extended: false, limit: config.http.bodyLimitBytes, parameterLimit: 10 });

  router.post(MESSAGES_PATH, requireHtmxRequest, form, (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new AppError('Send the form as application/x-www-form-urlencoded.', {
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    sendExchange(res, parseChatRequest(formBody(req), maxMessageChars));
  });

  router.post(RETRY_PATH, requireHtmxRequest, (req, res) => {
    const id = req.params.id;
    const failed = typeof id === 'string' ? service.get(id, requestUser(res)) : undefined;
    if (!failed) {
      throw new NotFoundError('That question is no longer kept on the server. Type it again.', 'stream_not_found');
    }
    sendExchange(res, { message: failed.prompt, model: failed.model });
  });

  return router;
}

/**
 * Errors of the page's POSTs as fragments for the form. Mounted by the app on PAGE_PATH after
 * every route, so that errors of the app's own guards (rate limits, auth, shutdown) reach it too.
 */
export function pageErrorHandler(config: Config): ErrorRequestHandler {
  return fragmentErrors(createViews({ cache: config.env !== 'development' }), pageHeaders(config.render.allowedImageHosts));
}
