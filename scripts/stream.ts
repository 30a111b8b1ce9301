/**
 * Streams one answer from a running server into the terminal, then prints its stats.
 *
 *   npm run stream -- "What is Python?"
 *   npm run stream -- --url http://localhost:3000 --model openai/gpt-4o-mini "Explain SSE"
 */
import { parseArgs } from 'node:util';
import { createParser } from 'eventsource-parser';

const usage = 'Usage: npm run stream -- [--url http://localhost:3000] [--model NAME] [--session ID] [--html] "your question"';

interface Args {
  url: string;
  model: string | undefined;
  session: string | undefined;
  html: boolean;
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const message = positionals.join(' ').trim() || 'What is Python?';
  return { url: values.url.replace(/\/+$/, ''), model: values.model, session: values.session, html: values.html, message };
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  const started = performance.now();
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

  let firstTokenAt: number | undefined;
  let exitCode = 1;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as Record<string, any>;
      switch (event.event) {
        case 'start':
          process.stderr.write(
            `[source: ${data.source}${data.fallback_reason ? ` (mock because: ${data.fallback_reason})` : ''}, model: ${data.model}]\n`,
          );
          break;
        case 'progress':
          process.stderr.write(`[${data.message}]\n`);
          break;
        case 'reasoning':
          // The model's thinking goes beside the answer, not into it: stdout stays the answer alone.
          process.stderr.write(data.content);
          break;
        case 'message':
          if (data.content && firstTokenAt === undefined) firstTokenAt = performance.now();
          process.stdout.write(args.html ? data.html.append : data.content);
          break;
        case 'complete': {
          if (args.html) process.stdout.write(`\n--- final HTML ---\n${data.html}`);
          const ttft = firstTokenAt === undefined ? 'n/a' : `${Math.round(firstTokenAt - started)} ms`;
          process.stderr.write(
            `\n\n--- ${data.finish_reason} · ${data.tokens} tokens · ${data.duration} s · ${data.tokens_per_second} tok/s · ` +
              `time to first token ${ttft} (server: ${data.ttft_ms ?? 'n/a'} ms) · source ${data.source}\n`,
          );
          exitCode = 0;
          break;
        }
        case 'error':
          process.stderr.write(`\n\n--- error ${data.code}: ${data.error}${data.retryable ? ' (retryable)' : ''}\n`);
          exitCode = 2;
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
