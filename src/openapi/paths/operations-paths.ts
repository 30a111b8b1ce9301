import { bodyResponse, errorResponses, jsonResponse } from '../response-helpers';

type Json = Record<string, unknown>;

/** Health, metrics and the reference itself. */
export function operationsPaths(metricsProtected: boolean): Json {
  return {
    '/health': {
      get: { tags: ['operations'], summary: 'Liveness', operationId: 'health', responses: { 200: jsonResponse('Up.', 'Health') } },
    },
    '/api/chat/health': {
      get: {
        tags: ['operations'],
        summary: 'The chat upstream: base URL, model, whether a key is set (never the key)',
        operationId: 'chatHealth',
        responses: { 200: jsonResponse('The upstream.', 'ChatHealth') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        operationId: 'metrics',
        security: metricsProtected ? [{ metricsToken: [] }] : [],
        responses: {
          200: bodyResponse('Prometheus text exposition.', 'text/plain'),
          ...errorResponses({ 401: [['metrics_unauthorized'], 'METRICS_TOKEN is set and the request did not send it.'] }),
        },
      },
    },
    '/openapi.json': {
      get: {
        tags: ['operations'],
        summary: 'This document',
        operationId: 'openapi',
        responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/docs': {
      get: {
        tags: ['operations'],
        summary: 'The interactive API reference (Swagger UI, served by this server)',
        operationId: 'docs',
        responses: { 200: bodyResponse('The reference page.', 'text/html') },
      },
    },
  };
}
