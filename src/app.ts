import cors from 'cors';
import express, { type Express } from 'express';
import type { ChatService } from './chat/chat-service';
import type { StreamRegistry } from './chat/stream-registry';
import type { CompareService } from './compare/compare-service';
import type { Config } from './config/config';
import type { ConversationService } from './conversations/conversation-service';
import { AppError } from './errors';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { chatRoutes } from './http/routes/chat-routes';
import { compareRoutes } from './http/routes/compare-routes';
import { healthRoutes } from './http/routes/health-routes';
import { pageRoutes } from './http/routes/page-routes';
import { sessionRoutes } from './http/routes/session-routes';
import { streamRoutes } from './http/routes/stream-routes';
import { docsRoutes } from './http/routes/docs-routes';
import { metricsRoutes } from './http/routes/metrics-routes';
import { logAnswers } from './logging/log-answers';
import { requestLogger } from './logging/request-logger';
import type { AppLogger } from './logger';
import { AppMetrics } from './metrics/app-metrics';
import { countAnswers } from './metrics/count-answers';
import { countHttpRequests } from './metrics/count-http-requests';

export interface AppDeps {
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
  conversations: ConversationService;
  compare: CompareService;
  logger: AppLogger;
}

/** Builds the Express app from its parts. Does no I/O: `server.ts` listens. */
export function createApp(deps: AppDeps): Express {
  const { config, service, registry, conversations, compare, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  const metrics = new AppMetrics({ liveAnswers: () => registry.liveCount, viewers: () => registry.viewerCount });
  service.onAnswer(countAnswers(metrics));
  service.onAnswer(logAnswers(logger));
  // First, so every request is logged and counted, even the ones refused below.
  app.use(requestLogger(logger));
  app.use(countHttpRequests(metrics));

  const origins = config.http.corsOrigins;
  if (origins.length > 0) {
    app.use('/api', cors({ origin: origins.includes('*') ? true : [...origins], maxAge: 600 }));
  }

  app.use('/api', (req, _res, next) => {
    // Bodyless requests (POST …/stop) need no Content-Type; any body must be JSON.
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      next(
        new AppError('Send the body as JSON with the header Content-Type: application/json.', {
          status: 415,
          code: 'unsupported_media_type',
        }),
      );
      return;
    }
    next();
  });
  app.use('/api', express.json({ limit: config.http.bodyLimitBytes }));

  app.use(healthRoutes(config, registry));
  app.use(metricsRoutes(metrics, config.metrics.token));
  app.use(docsRoutes(config));
  const { maxMessageChars, heartbeatMs } = config.http;
  const pipe = { heartbeatMs, writeTimeoutMs: config.http.sseWriteTimeoutMs, maxQueuedBytes: config.http.sseMaxQueuedBytes };
  app.use(chatRoutes(service, { maxMessageChars, ...pipe }));
  app.use(streamRoutes(service, { maxMessageChars, ...pipe, maxViewers: config.streams.maxViewers }));
  app.use(sessionRoutes(service, conversations, { maxMessageChars }));
  app.use(compareRoutes(compare, { maxMessageChars, heartbeatMs }));
  app.use(pageRoutes(config, service, conversations));

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}
