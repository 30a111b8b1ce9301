/**
 * Streams one answer from a running server into the terminal, then prints its stats.
 *
 *   npm run stream -- "What is Python?"
 *   npm run stream -- --url http://localhost:3000 --model openai/gpt-4o-mini "Explain SSE"
 *   npm run stream -- --socket "What is Python?"      (over Socket.IO instead of SSE)
 */
import { parseArgs } from 'node:util';
import { createParser } from 'eventsource-parser';
import { streamOverSocket } from './stream-socket';

const usage =
  'Usage: npm run stream -- [--url http://localhost:3000] [--model NAME] [--session ID] [--html] [--socket] [--token JWT] "your question"';

interface Args {
  url: string;
  model: string | undefined;
  session: string | undefined;
  html: boolean;
  socket: boolean;
  token: string | undefined;
  message: string;
}

function readArgs(argv: string[]): Args {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      model: { type: 'string' },
      session: { type: 'string' },
      html: { type: 'boolean', default: false },
      socket: { type: 'boolean', default: false },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const message = positionals.join(' ').trim() || 'What is Python?';
  return {
    url: values.url.replace(/\/+$/, ''),
    model: values.model,
    session: values.session,
    html: values.html,
    socket: values.socket,
    token: values.token,
    message,
  };
}

/** What the terminal shows of an answer, whichever transport brings it. */
function createPrinter(args: Args, started: number) {
  let firstTokenAt: number | undefined;
  return {
    start(data: Record<string, any>): void {
      process.stderr.write(
        `[source: ${data.source}${data.fallback_reason ? ` (mock because: ${data.fallback_reason})` : ''}, model: ${data.model}]\n`,
      );
    },
    token(content: string, append: string): void {
      if (content && firstTokenAt === undefined) firstTokenAt = performance.now();
      process.stdout.write(args.html ? append : content);
    },
    complete(data: Record<string, any>): number {
      if (args.html) process.stdout.write(`\n--- final HTML ---\n${data.html}`);
      const ttft = firstTokenAt === undefined ? 'n/a' : `${Math.round(firstTokenAt - started)} ms`;
      process.stderr.write(
        `\n\n--- ${data.finish_reason} · ${data.tokens} tokens · ${data.duration} s · ${data.tokens_per_second} tok/s · ` +
          `time to first token ${ttft} (server: ${data.ttft_ms ?? 'n/a'} ms) · source ${data.source}\n`,
      );
      return 0;
    },
    error(data: Record<string, any>): number {
      process.stderr.write(`\n\n--- error ${data.code}: ${data.error}${data.retryable ? ' (retryable)' : ''}\n`);
      return 2;
    },
  };
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  const started = performance.now();
  const print = createPrinter(args, started);
  if (args.socket) return streamOverSocket(args, print);
  let response: Response;
  try {
    response = await fetch(`${args.url}/api/chat/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ message: args.message, model: args.model, session_id: args.session }),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    process.stderr.write(`Could not reach ${args.url} (${code}). Is the server running? Start it with: npm start\n`);
    return 1;
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    process.stderr.write(`The server answered ${response.status}: ${text}\n`);
    return 1;
  }

  let exitCode = 1;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as Record<string, any>;
      switch (event.event) {
        case 'start':
          print.start(data);
          break;
        case 'progress':
          process.stderr.write(`[${data.message}]\n`);
          break;
        case 'reasoning':
          // The model's thinking goes beside the answer, not into it: stdout stays the answer alone.
          process.stderr.write(data.content);
          break;
        case 'message':
          print.token(data.content, data.html.append);
          break;
        case 'complete':
          exitCode = print.complete(data);
          break;
        case 'error':
          exitCode = print.error(data);
          break;
      }
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  return exitCode;
}

export type Printer = ReturnType<typeof createPrinter>;
export type StreamArgs = Args;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
