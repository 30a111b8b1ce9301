import { componentSchemas } from './component-schemas';
import { authPaths } from './paths/auth-paths';
import { chatPaths } from './paths/chat-paths';
import { comparePaths } from './paths/compare-paths';
import { documentPaths } from './paths/document-paths';
import { operationsPaths } from './paths/operations-paths';
import { pagePaths } from './paths/page-paths';
import { sessionPaths } from './paths/session-paths';

type Json = Record<string, unknown>;

export interface DocumentOptions {
  title: string;
  version: string;
  maxMessageChars: number;
  /** Whether `GET /metrics` needs METRICS_TOKEN. */
  metricsProtected: boolean;
  /** Whether AUTH_MODE is on, so the sign-in routes exist. */
  authEnabled: boolean;
  /** Browser files served by URL path (the page's and the reference's). */
  assetPaths: readonly string[];
}

const REQUEST_ID = { $ref: '#/components/headers/RequestId' };

/** Every response carries the request's id, whatever the route. */
function withRequestId(paths: Json): Json {
  for (const item of Object.values(paths) as Json[]) {
    for (const operation of Object.values(item) as Array<{ responses: Record<string, Json> }>) {
      for (const response of Object.values(operation.responses)) {
        response.headers = { 'X-Request-Id': REQUEST_ID, ...(response.headers as Json | undefined) };
      }
    }
  }
  return paths;
}

/** The OpenAPI 3.1 document of this server, its schemas generated from the zod schemas. */
export function buildOpenApiDocument(options: DocumentOptions): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description:
        'Streams LLM chat answers as Server-Sent Events. Every event and error code: docs/protocol.md. The same answers ' +
        'also stream over Socket.IO on this port at /socket.io (events chat_stream and chat_stop in; chat_start, ' +
        'chat_progress, chat_reasoning, chat_token, chat_complete and chat_stream_error out), which OpenAPI cannot describe: see docs/protocol.md, "Socket.IO".',
    },
    tags: [
      { name: 'chat', description: 'Answers: streamed, as JSON, or started and watched.' },
      { name: 'sessions', description: 'Conversations: list, read, rename, delete, export, regenerate, edit.' },
      { name: 'documents', description: 'Uploaded documents that grounded answers search and cite (docs/documents.md).' },
      { name: 'compare', description: 'A/B compare: two models, one question, a vote, and the counts.' },
      { name: 'operations', description: 'Health, metrics and this reference.' },
      { name: 'page', description: 'The /ai-demo page and the files it loads.' },
      { name: 'auth', description: 'Signing the page in with a JWT (when AUTH_MODE is on).' },
    ],
    paths: withRequestId({
      ...chatPaths(),
      ...sessionPaths(),
      ...comparePaths(),
      ...documentPaths(),
      ...operationsPaths(options.metricsProtected),
      ...pagePaths(options.assetPaths),
      ...(options.authEnabled ? authPaths() : {}),
    }),
    components: {
      headers: {
        RequestId: {
          description: 'The X-Request-Id the request sent (1 to 64 letters, digits, ".", "_", ":" or "-"), else a new UUID; the logs carry it too.',
          schema: { type: 'string' },
        },
      },
      schemas: componentSchemas(options.maxMessageChars),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A JWT whose `sub` is the user. Optional: without one the caller is anonymous.',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN of the server.' },
      },
    },
  };
}
