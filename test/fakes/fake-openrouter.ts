import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One thing the fake does on the wire, in order. */
export type Step =
  | { write: string | Buffer }
  | { delay: number }
  /** Close the socket without ending the response (a dropped connection). */
  | { destroy: true };

export interface Scenario {
  status?: number;
  headers?: Record<string, string>;
  /** A whole body for non-streaming answers (errors). */
  body?: string;
  steps?: Step[];
  /** Wait this long before sending headers. */
  headerDelay?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** True once the client went away before the response ended. */
  aborted: boolean;
  /** Resolves when the response ends or the client leaves. */
  closed: Promise<void>;
  /** Milliseconds from the request's arrival to its close. */
  closedAfterMs?: number;
}

export const MODEL = 'openai/gpt-4o-mini';

/** The fields every chunk of an OpenRouter stream carries (from its streaming docs). */
function envelope(fields: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'gen-1700000000-abc',
    provider: 'OpenAI',
    model: MODEL,
    object: 'chat.completion.chunk',
    created: 1700000000,
    ...fields,
  });
}

/** A chunk exactly as OpenRouter streams it. */
export function chunk(
  delta: { role?: string; content?: string | unknown[] | null; [field: string]: unknown },
  finishReason: string | null = null,
  extra: Record<string, unknown> = {},
): string {
  return envelope({
    choices: [{ index: 0, delta, finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null }],
    ...extra,
  });
}

export const USAGE = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 };

export function usageChunk(usage = USAGE): string {
  return envelope({ choices: [], usage });
}

export interface StreamOptions {
  eol?: '\n' | '\r\n';
  /** Milliseconds between tokens. */
  gap?: number;
  usage?: typeof USAGE | null;
  done?: boolean;
  finishReason?: string;
}

/** A healthy OpenRouter stream: a processing comment, role chunk, tokens, finish, usage, [DONE]. */
export function streamSteps(tokens: string[], options: StreamOptions = {}): Step[] {
  const eol = options.eol ?? '\n';
  const frame = (data: string) => ({ write: `data: ${data}${eol}${eol}` });
  const steps: Step[] = [{ write: `: OPENROUTER PROCESSING${eol}${eol}` }, frame(chunk({ role: 'assistant', content: '' }))];
  for (const token of tokens) {
    if (options.gap) steps.push({ delay: options.gap });
    steps.push(frame(chunk({ role: 'assistant', content: token })));
  }
  steps.push(frame(chunk({ role: 'assistant', content: '' }, options.finishReason ?? 'stop')));
  if (options.usage !== null) steps.push(frame(usageChunk(options.usage ?? USAGE)));
  if (options.done !== false) steps.push(frame('[DONE]'));
  return steps;
}

/** An OpenRouter error before the stream: a real status with `{"error":{"code","message"}}`. */
export function errorScenario(status: number, message: string, headers: Record<string, string> = {}): Scenario {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ error: { code: status, message } }),
  };
}

/**
 * A fake OpenRouter: a real HTTP server on port 0 that plays scripted scenarios in OpenRouter's
 * wire format and records every request, including whether the client hung up.
 */
export class FakeOpenRouter {
  readonly requests: RecordedRequest[] = [];
  private scenarios: Scenario[] = [];
  private readonly byModel = new Map<string, Scenario[]>();
  private fallbackScenario: Scenario = { steps: streamSteps(['Hello', ' world']) };
  private embedder: ((text: string) => number[]) | undefined;
  /** Status to answer `POST /embeddings` with instead of vectors, when set. */
  embeddingsStatus: number | undefined;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Base URL as OPENROUTER_BASE_URL expects it. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/v1`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Plays `scenario` for the next request (queued in order); later ones get the default. */
  enqueue(...scenarios: Scenario[]): this {
    this.scenarios.push(...scenarios);
    return this;
  }

  /** Plays `scenario` for the next request that asks for `model`, before any queued with `enqueue`. */
  enqueueFor(model: string, ...scenarios: Scenario[]): this {
    this.byModel.set(model, [...(this.byModel.get(model) ?? []), ...scenarios]);
    return this;
  }

  /** Answers `POST /embeddings` as OpenAI does, one `embed(text)` per input, in order. */
  embedWith(embed: (text: string) => number[]): this {
    this.embedder = embed;
    return this;
  }

  setDefault(scenario: Scenario): this {
    this.fallbackScenario = scenario;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answerEmbeddings(body: { model: string; input: string[] }, res: ServerResponse): void {
    if (this.embeddingsStatus !== undefined || !this.embedder) {
      res.writeHead(this.embeddingsStatus ?? 500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: this.embeddingsStatus, message: 'embeddings failed' } }));
      return;
    }
    const embed = this.embedder;
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) }));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    let closedResolve!: () => void;
    // Recorded as it arrives, so a client that gives up while sending its body is seen too.
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: undefined,
      aborted: false,
      closed: new Promise<void>((r) => (closedResolve = r)),
    };
    this.requests.push(record);
    res.on('close', () => {
      record.aborted = !res.writableFinished;
      record.closedAfterMs = performance.now() - arrived;
      closedResolve();
    });
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => resolve(data));
      req.on('close', () => resolve(data));
    });
    if (res.destroyed) return;
    record.body = raw ? (JSON.parse(raw) as unknown) : undefined;
    if (record.url.endsWith('/embeddings') && (this.embedder || this.embeddingsStatus)) {
      this.answerEmbeddings(record.body as { model: string; input: string[] }, res);
      return;
    }

    const model = (record.body as { model?: unknown } | undefined)?.model;
    const scenario =
      (typeof model === 'string' ? this.byModel.get(model)?.shift() : undefined) ?? this.scenarios.shift() ?? this.fallbackScenario;
    if (scenario.headerDelay) await sleep(scenario.headerDelay, res);
    if (res.destroyed) return;
    if (scenario.body !== undefined) {
      res.writeHead(scenario.status ?? 200, scenario.headers ?? {});
      res.end(scenario.body);
      return;
    }
    res.writeHead(scenario.status ?? 200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      ...scenario.headers,
    });
    res.flushHeaders();
    for (const step of scenario.steps ?? []) {
      if (res.destroyed) return;
      if ('delay' in step) await sleep(step.delay, res);
      else if ('destroy' in step) {
        // Node holds a response's writes until the next tick: let them reach the wire first,
        // or the "burst then a dropped connection" would drop the burst on our own side.
        await new Promise((resolve) => setImmediate(resolve));
        res.socket?.destroy();
        return;
      } else res.write(step.write);
    }
    res.end();
  }
}

/** Waits `ms`, or less when `res` closes first, so a client that left leaves no timer behind. */
function sleep(ms: number, res?: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res?.off('close', done);
      resolve();
    };
    // Unref: a scripted pause must not keep the test process alive after the client left.
    const timer = setTimeout(done, ms).unref();
    res?.once('close', done);
  });
}
