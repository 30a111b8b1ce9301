import express, { type Express, type RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier';
import type { ChatService } from './chat/chat-service';
import type { StreamRegistry } from './chat/stream-registry';
import type { CompareService } from './compare/compare-service';
import type { Config } from './config/config';
import type { ConversationService } from './conversations/conversation-service';
import type { DocumentService } from './documents/document-service';
import { DOCUMENTS_PATH, documentRoutes } from './http/routes/document-routes';
import { serveDirectly } from './http/direct-route';
import { AppError, ShuttingDownError } from './errors';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { authenticate } from './http/guards/authenticate';
import { corsFor } from './http/guards/cors-for';
import { RateLimits } from './http/guards/rate-limits';
import { sameOriginGuard } from './http/guards/same-origin-guard';
import { securityHeaders } from './http/guards/security-headers';
import { SESSION_PATH, authRoutes } from './http/routes/auth-routes';
import { STREAM_PATH, chatRoutes } from './http/routes/chat-routes';
import { compareRoutes } from './http/routes/compare-routes';
import { healthRoutes } from './http/routes/health-routes';
import { pageErrorHandler, pageRoutes } from './http/routes/page-routes';
import { sessionRoutes } from './http/routes/session-routes';
import { signInRoutes } from './http/routes/sign-in-routes';
import { type FindRemoteAnswer, streamRoutes } from './http/routes/stream-routes';
import type { RedisHealth } from './scale/redis-connection';
import { docsRoutes } from './http/routes/docs-routes';
import { metricsRoutes } from './http/routes/metrics-routes';
import { logAnswers } from './logging/log-answers';
import { requestLogger } from './logging/request-logger';
import { Lifecycle } from './lifecycle';
import type { AppLogger } from './logger';
import { AppMetrics } from './metrics/app-metrics';
import type { DatabaseHealth } from './stores/postgres/postgres-database';
import { countAnswers } from './metrics/count-answers';
import { countHttpRequests } from './metrics/count-http-requests';
import { EDIT_PATH, MESSAGES_PATH, PAGE_PATH, REGENERATE_PATH, RETRY_PATH, SIGN_IN_PATH } from './pages/page-paths';

export interface AppDeps {
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
  conversations: ConversationService;
  compare: CompareService;
  logger: AppLogger;
  /** Shared with `server.ts`, which marks the shutdown; a fresh one (never stopping) by default. */
  lifecycle?: Lifecycle;
  /** Checks tokens; shared with the Socket.IO server so one key set (and its JWKS cache) serves both. Made from the config when absent. */
  verifier?: TokenVerifier;
  /** Uploaded documents (docs/documents.md); their routes exist only when given. */
  documents?: DocumentService;
  /** Where rate-limit counts live, one store per budget; in memory unless given (e.g. Redis). */
  rateLimitStore?: (budget: 'answers' | 'chat') => Store;
  /** With REDIS_URL: answers other instances generate, and how Redis is. */
  findRemote?: FindRemoteAnswer;
  redisHealth?: () => RedisHealth;
  /** With DATABASE_URL: how PostgreSQL is. */
  databaseHealth?: () => Promise<DatabaseHealth>;
  /** The budgets, shared with the Socket.IO server so both spend one count; made from the config (and `rateLimitStore`) when absent. */
  rateLimits?: RateLimits;
}

/** A route by method and path, for guards wired by path in front of the route files. */
interface RouteRef {
  method: 'post' | 'patch';
  path: string;
}

/**
 * Everything that starts an answer spends one budget (`RATE_LIMIT_STREAM_PER_MIN`) and is turned
 * away while the server stops: new answers, regenerated and edited ones, and compares. Reads
 * (GET streams, sessions, health, static) are never here.
 */
export const ANSWER_STARTING_ROUTES: readonly RouteRef[] = [
  { method: 'post', path: STREAM_PATH },
  { method: 'post', path: '/api/chat/messages' },
  { method: 'post', path: '/api/chat/sessions/:id/regenerate' },
  { method: 'patch', path: '/api/chat/sessions/:id/messages/:message_id' },
  { method: 'post', path: '/api/chat/compare/stream' },
  { method: 'post', path: MESSAGES_PATH },
  { method: 'post', path: RETRY_PATH },
  { method: 'post', path: REGENERATE_PATH },
  { method: 'post', path: EDIT_PATH },
];
/** `POST /api/chat` answers in one body and has its own budget (`RATE_LIMIT_CHAT_PER_MIN`). */
export const CHAT_ROUTES: readonly RouteRef[] = [{ method: 'post', path: '/api/chat' }];

function useOn(app: Express, routes: readonly RouteRef[], handler: RequestHandler): void {
  for (const { method, path } of routes) app[method](path, handler);
}

/**
 * Who may be asked for a token, and where: the API and the page, never health checks or static
 * files; signing in or out of the page needs no valid token, since a missing or expired one is
 * why you would.
 */
const AUTHENTICATED_PATHS = ['/api', PAGE_PATH];
const UNAUTHENTICATED = new Set(['GET /api/chat/health', `DELETE ${SESSION_PATH}`, `POST ${SIGN_IN_PATH}`]);

/** The budgets `RATE_LIMIT_STREAM_PER_MIN` and `RATE_LIMIT_CHAT_PER_MIN` set, for one server's HTTP and Socket.IO. */
export function createRateLimits(config: Config, storeFor?: (budget: 'answers' | 'chat') => Store): RateLimits {
  return new RateLimits({ answersPerMin: config.rateLimit.streamPerMin, chatPerMin: config.rateLimit.chatPerMin, storeFor });
}

/** Builds the Express app from its parts. Does no I/O: `server.ts` listens. */
export function createApp(deps: AppDeps): Express {
  const { config, service, registry, conversations, compare, logger } = deps;
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  const metrics = new AppMetrics({ liveAnswers: () => registry.liveCount, viewers: () => registry.viewerCount });
  service.onAnswer(countAnswers(metrics));
  service.onAnswer(logAnswers(logger));
  // First, so every request is logged and counted, even the ones refused below.
  app.use(requestLogger(logger));
  app.use(countHttpRequests(metrics));

  app.use(securityHeaders);
  const origins = config.http.corsOrigins;
  if (origins.length > 0) app.use('/api', corsFor(origins));
  app.use(sameOriginGuard(origins));

  const verifier = config.auth.mode === 'off' ? undefined : (deps.verifier ?? createTokenVerifier(config.auth));
  if (config.auth.mode !== 'off' && verifier) {
    const check = authenticate({ mode: config.auth.mode, verifier });
    // Mounted on a path, req.path is the rest of it: the full path is baseUrl + path.
    app.use(AUTHENTICATED_PATHS, (req, res, next) =>
      UNAUTHENTICATED.has(`${req.method} ${req.baseUrl}${req.path}`) ? next() : check(req, res, next),
    );
  }

  const refuseWhileStopping: RequestHandler = (_req, _res, next) =>
    next(lifecycle.stopping ? new ShuttingDownError() : undefined);
  useOn(app, [...ANSWER_STARTING_ROUTES, ...CHAT_ROUTES], refuseWhileStopping);
  const rateLimits = deps.rateLimits ?? createRateLimits(config, deps.rateLimitStore);
  rateLimits.onLimited((name) => metrics.countRateLimited(name));
  const answers = rateLimits.handler('answers');
  const chat = rateLimits.handler('chat');
  // One limiter for all of a budget's routes, so they spend one count.
  if (answers) useOn(app, ANSWER_STARTING_ROUTES, answers);
  if (chat) useOn(app, CHAT_ROUTES, chat);

  app.use('/api', (req, _res, next) => {
    // Bodyless requests (POST …/stop) need no Content-Type; any body must be JSON.
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    // Uploads are multipart: their route reads (and checks) the body itself.
    const upload = req.method === 'POST' && `${req.baseUrl}${req.path}` === DOCUMENTS_PATH;
    if (hasBody && !upload && !req.is('application/json')) {
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

  app.use(healthRoutes(config, registry, { redis: deps.redisHealth, database: deps.databaseHealth }));
  const signIn = verifier && signInRoutes(config, verifier);
  if (signIn) app.use(authRoutes(), signIn.routes);
  app.use(metricsRoutes(metrics, config.metrics.token));
  app.use(docsRoutes(config));
  const { maxMessageChars, heartbeatMs } = config.http;
  const pipe = { heartbeatMs, writeTimeoutMs: config.http.sseWriteTimeoutMs, maxQueuedBytes: config.http.sseMaxQueuedBytes };
  app.use(chatRoutes(service, { maxMessageChars, ...pipe }));
  app.use(streamRoutes(service, { maxMessageChars, ...pipe, maxViewers: config.streams.maxViewers, ...(deps.findRemote ? { findRemote: deps.findRemote } : {}) }));
  app.use(sessionRoutes(service, conversations, { maxMessageChars }));
  app.use(compareRoutes(compare, { maxMessageChars, heartbeatMs }));
  if (deps.documents) {
    const { maxBytes, maxFilesPerUpload, maxPerUser } = config.documents;
    app.use(documentRoutes(deps.documents, { maxBytes, maxFilesPerUpload, maxPerUser }));
  }
  app.use(pageRoutes(config, service, conversations));
  if (signIn) app.use(PAGE_PATH, signIn.onAuthError);
  app.use(PAGE_PATH, pageErrorHandler(config));

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  // Last, once every guard, route and error handler above is registered: it runs exactly those.
  serveDirectly(app, 'POST', STREAM_PATH);
  return app;
}
