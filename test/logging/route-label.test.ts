import express from 'express';
import request from 'supertest';
import { routeLabel } from '../../src/logging/route-label';

function appThatLabels() {
  const app = express();
  const labels: string[] = [];
  app.use((req, res, next) => {
    res.on('finish', () => labels.push(routeLabel(req)));
    next();
  });
  // A guard for several paths that answers by itself, as a rate limit does.
  app.post(['/api/chat/stream', '/ai-demo/streams/:id/retry'], (_req, res) => void res.status(429).end());
  app.get('/api/chat/streams/:id', (_req, res) => void res.end());
  const router = express.Router();
  router.get('/inner/:name', (_req, res) => void res.end());
  app.use('/mounted', router);
  app.use('/static', (_req, res) => void res.end());
  return { app, labels };
}

describe('routeLabel', () => {
  test.each([
    ['GET', '/api/chat/streams/abc?format=html', '/api/chat/streams/:id'],
    ['POST', '/api/chat/stream', '/api/chat/stream'],
    ['POST', '/ai-demo/streams/s-9/retry', '/ai-demo/streams/:id/retry'],
    ['GET', '/mounted/inner/x', '/mounted/inner/:name'],
    ['GET', '/static/app.css', '/static/*'],
    ['GET', '/nothing/here', 'unmatched'],
  ])('when %s %s is answered, then its label is %s', async (method, url, label) => {
    const { app, labels } = appThatLabels();
    await (method === 'GET' ? request(app).get(url) : request(app).post(url));
    expect(labels).toEqual([label]);
  });
});
