import request from 'supertest';
import { toOpenApiPath } from '../../src/openapi/to-openapi-path';
import { buildTestApp } from '../helpers/test-app';
import { authEnv } from '../helpers/tokens';
import { registeredRoutes } from '../helpers/registered-routes';
import { validateOpenApi } from '../helpers/validate-openapi';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }>; securitySchemes: Record<string, unknown> };
};

async function fetchDocument(env: Record<string, string> = {}): Promise<{ doc: Doc; app: ReturnType<typeof buildTestApp>['app'] }> {
  const { app } = buildTestApp(env);
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return { doc: res.body as Doc, app };
}

describe('GET /openapi.json', () => {
  test('when validated by an OpenAPI validator, then it is a valid OpenAPI 3.1 document', async () => {
    const { doc } = await fetchDocument();
    expect(doc.openapi).toBe('3.1.0');
    await expect(validateOpenApi(doc)).resolves.toEqual({ valid: true });
  });

  test('when an operation is broken, then the validator says so (it can fail)', async () => {
    const { doc } = await fetchDocument();
    const broken = structuredClone(doc);
    (broken.paths['/health']!.get as Record<string, unknown>).responses = 'none';
    const result = await validateOpenApi(broken);
    expect(result.valid).toBe(false);
  });

  test('when the app registers a route, then the document has it, and it documents no route the app lacks', async () => {
    const { doc, app } = await fetchDocument();
    const routes = registeredRoutes(app).map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return `${method} ${toOpenApiPath(path)}`;
    });
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
    // The page's static folder is mounted, not a route, so the walk cannot see it.
    expect(documented.filter((op) => !routes.includes(op))).toEqual(['GET /static/{file}']);
  });

  test('when AUTH_MODE is on, then the sign-in routes the app adds are documented too, and none it lacks', async () => {
    const { doc, app } = await fetchDocument(authEnv('optional'));
    const routes = registeredRoutes(app).map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return `${method} ${toOpenApiPath(path)}`;
    });
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(expect.arrayContaining(['POST /api/auth/session', 'DELETE /api/auth/session', 'POST /ai-demo/sign-in']));
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((op) => !routes.includes(op))).toEqual(['GET /static/{file}']);
    await expect(validateOpenApi(doc)).resolves.toEqual({ valid: true });
  });

  test('when the server limits messages, then the request schema states that limit', async () => {
    const { doc } = await fetchDocument({ MAX_MESSAGE_CHARS: '1234' });
    expect(doc.components.schemas.ChatRequest!.properties!.message).toMatchObject({ type: 'string', maxLength: 1234, pattern: '\\S' });
  });

  test('when an answer streams, then its response is text/event-stream with each event schema in components', async () => {
    const { doc } = await fetchDocument();
    expect(doc.paths['/api/chat/stream']!.post!.responses['200']).toEqual({
      description: expect.any(String),
      headers: { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } },
      content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/ChatEventStream' } } },
    });
    for (const [name, data] of [
      ['StartEvent', 'StartData'],
      ['MessageEvent', 'MessageData'],
      ['CompleteEvent', 'CompleteData'],
      ['ErrorEvent', 'ErrorData'],
    ] as const) {
      expect(doc.components.schemas[name]!.properties!.data).toEqual({ $ref: `#/components/schemas/${data}` });
    }
  });

  test('when a compare streams, then its response is text/event-stream with each of its frames in components', async () => {
    const { doc } = await fetchDocument();
    const ok = doc.paths['/api/chat/compare/stream']!.post!.responses['200'] as { content: unknown };
    expect(ok.content).toEqual({ 'text/event-stream': { schema: { $ref: '#/components/schemas/CompareEventStream' } } });
    const stream = doc.components.schemas.CompareEventStream as unknown as { type: string; items: { anyOf: unknown[] } };
    expect(stream.type).toBe('array');
    expect(stream.items.anyOf).toEqual(
      ['CompareStartEvent', 'SideStartEvent', 'SideProgressEvent', 'SideReasoningEvent', 'SideSourcesEvent', 'SideDeltaLine', 'SideEndLine', 'SideErrorLine', 'CompareCompleteEvent'].map(
        (id) => ({ $ref: `#/components/schemas/${id}` }),
      ),
    );
    // The design document's fields on every data line of a side.
    for (const line of ['SideDeltaLine', 'SideEndLine', 'SideErrorLine']) {
      const data = doc.components.schemas[line]!.properties!.data as { properties: Record<string, unknown> };
      expect([line, Object.keys(data.properties).slice(0, 2)]).toEqual([line, line === 'SideErrorLine' ? ['model', 'done'] : ['model', 'token']]);
    }
  });

  test('when a request can fail, then each error status is the one error shape with its codes', async () => {
    const { doc } = await fetchDocument();
    const responses = doc.paths['/api/chat']!.post!.responses as Record<string, { content?: Record<string, { schema: unknown }> }>;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '415', '429', '502', '503', '504']);
    expect(responses['400']!.content!['application/json']!.schema).toEqual({
      allOf: [
        { $ref: '#/components/schemas/ErrorBody' },
        {
          properties: {
            code: {
              enum: [
                'invalid_json',
                'invalid_body',
                'missing_message',
                'invalid_message',
                'empty_message',
                'invalid_session_id',
                'invalid_model',
                'invalid_max_tokens',
                'invalid_documents',
                'invalid_auto_load_documents',
                'model_not_allowed',
                'max_tokens_too_large',
                'documents_unavailable',
                'invalid_content_encoding',
              ],
            },
          },
        },
      ],
    });
  });

  test('when the API takes a token, then the bearer JWT scheme is there and optional on every API operation', async () => {
    const { doc } = await fetchDocument();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const api = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/chat/') && path !== '/api/chat/health');
    for (const [, item] of [...api, ['/api/chat', doc.paths['/api/chat']!] as const]) {
      for (const operation of Object.values(item)) expect(operation.security).toEqual([{}, { bearerAuth: [] }]);
    }
  });

  test('when METRICS_TOKEN is set, then /metrics is documented as needing it', async () => {
    const open = await fetchDocument();
    const closed = await fetchDocument({ METRICS_TOKEN: 'a-metrics-token-of-32-characters' });
    expect(open.doc.paths['/metrics']!.get!.security).toEqual([]);
    expect(closed.doc.paths['/metrics']!.get!.security).toEqual([{ metricsToken: [] }]);
  });
});

describe('response headers in the document', () => {
  test('when any operation answers, then its response documents X-Request-Id', async () => {
    const { doc } = await fetchDocument();
    const responses = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) => Object.values(operation.responses) as Array<{ headers?: Record<string, unknown> }>),
    );
    expect(responses.length).toBeGreaterThan(40);
    for (const response of responses) {
      expect(response.headers?.['X-Request-Id']).toEqual({ $ref: '#/components/headers/RequestId' });
    }
  });
});
