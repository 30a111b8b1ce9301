import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';

type Handler = (...args: unknown[]) => unknown;

/** What Express's router keeps per layer, as far as this reads it (router 2.x). */
interface Layer {
  handle: Handler & { stack?: Layer[] };
  route?: { path: string; stack: Layer[]; _handlesMethod(method: string): boolean };
  method?: string;
  match(path: string): { path: string } | false;
}

/** One handler of the route, with what Express sets around it. */
interface Step {
  handle: Handler;
  /** For middleware mounted on a path (`app.use('/api', …)`): the part of the URL it is mounted on. */
  mount: string;
  /** For handlers of a route (`app.post(path, …)`): the route, which Express sets as `req.route`. */
  route: Layer['route'];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** The handlers Express would run for `method path`, in its order, read once from its router's stack. */
function stepsFor(stack: readonly Layer[], method: string, path: string, mount = ''): Step[] {
  const steps: Step[] = [];
  for (const layer of stack) {
    const matched = layer.match(path);
    if (!matched) continue;
    const { route } = layer;
    if (route) {
      if (!route._handlesMethod(method)) continue;
      for (const inner of route.stack) {
        if (inner.method === undefined || inner.method === method.toLowerCase()) steps.push({ handle: inner.handle, mount, route });
      }
    } else if (Array.isArray(layer.handle.stack)) {
      // A router used as middleware: its own layers, against the rest of the path.
      const rest = path.slice(matched.path.length) || '/';
      steps.push(...stepsFor(layer.handle.stack, method, rest, mount + matched.path));
    } else {
      steps.push({ handle: layer.handle, mount: mount + matched.path, route: undefined });
    }
  }
  return steps;
}

/**
 * Serves one route (`POST /api/chat/stream`) without walking Express's router for each request.
 * The handlers are the app's own, read once from its router's stack after every route is
 * registered: the same guards, in the same order, as the same functions, so the route cannot
 * drift from what Express would run (a guard added to the app for this path is picked up with
 * it). Per request it does what Express's `app.handle` and its router do for these handlers:
 * the request and response prototypes, `res.locals`, `req.route`, `req.baseUrl` under a mount,
 * errors to the error handlers, sync throws and rejected promises alike. What it saves is the
 * router's walk over every layer, and the per-request `next` closures each router level keeps
 * alive for as long as a stream is open.
 */
export class DirectRoute {
  private readonly steps: Step[];

  constructor(
    private readonly app: Express,
    private readonly method: string,
    private readonly path: string,
  ) {
    const { router } = app as unknown as { router: { stack: Layer[] } };
    this.steps = stepsFor(router.stack, method, path);
  }

  /** Handlers found for the route: none means the app does not serve it, and nothing is taken. */
  get size(): number {
    return this.steps.length;
  }

  /** Whether this request is for the route exactly (any other spelling goes through Express). */
  matches(req: IncomingMessage): boolean {
    const { url } = req;
    return req.method === this.method && url !== undefined && (url === this.path || url.startsWith(`${this.path}?`));
  }

  serve(rawReq: IncomingMessage, rawRes: ServerResponse): void {
    const { app, steps } = this;
    if (app.enabled('x-powered-by')) rawRes.setHeader('X-Powered-By', 'Express');
    // What app.handle does before its router runs.
    const req = Object.setPrototypeOf(rawReq, app.request) as Request;
    const res = Object.setPrototypeOf(rawRes, app.response) as Response;
    req.res = res;
    res.req = req;
    res.locals ??= Object.create(null) as Response['locals'];
    req.baseUrl = '';
    req.originalUrl ??= req.url;
    req.params = {};
    const url = req.url;
    let index = 0;
    const next = (error?: unknown): void => {
      // Express puts the URL back once a mounted middleware is done with it.
      req.url = url;
      req.baseUrl = '';
      while (index < steps.length) {
        const step = steps[index++]!;
        const errorHandler = step.handle.length === 4;
        if (error ? !errorHandler : errorHandler) continue;
        if (step.route) req.route = step.route;
        if (step.mount !== '') {
          req.baseUrl = step.mount.endsWith('/') ? step.mount.slice(0, -1) : step.mount;
          req.url = url.slice(step.mount.length) || '/';
          if (req.url[0] !== '/') req.url = `/${req.url}`;
        }
        try {
          const returned = error ? step.handle(error, req, res, next) : step.handle(req, res, next);
          if (isThenable(returned)) returned.then(undefined, (rejected: unknown) => next(rejected || new Error('Rejected promise')));
        } catch (thrown) {
          next(thrown);
        }
        return;
      }
      // Express's final handler; the app's error handler answers first, so this is a last resort.
      if (!res.headersSent) res.status(error ? 500 : 404);
      if (!res.writableEnded) res.end();
    };
    next();
  }
}

/**
 * Makes `app` serve `method path` through a DirectRoute, every other request through Express as
 * before. Call it once every route and error handler is registered.
 */
export function serveDirectly(app: Express, method: string, path: string): DirectRoute {
  const direct = new DirectRoute(app, method, path);
  if (direct.size === 0) return direct;
  // Express's app function calls `app.handle`, its own property (mixed in), for every request.
  const handling = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, callback?: unknown) => void };
  const handle = handling.handle.bind(app);
  handling.handle = (req, res, callback) => {
    // A callback means Express was mounted inside another app: leave it to Express.
    if (callback === undefined && direct.matches(req)) direct.serve(req, res);
    else handle(req, res, callback);
  };
  return direct;
}
