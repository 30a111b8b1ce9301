import request from 'supertest';
import { buildTestApp } from '../helpers/test-app';

const { app } = buildTestApp({ MAX_MESSAGE_CHARS: '100', BODY_LIMIT_BYTES: '2048' });

describe.each(['/api/chat', '/api/chat/stream', '/api/chat/messages'])('bad input to POST %s', (path) => {
  test.each([
    ['the body is not JSON', '{"message": "Hi"', 400, 'invalid_json', 'The body is not valid JSON.'],
    ['the body is an array', '[1,2]', 400, 'invalid_body', 'The body must be a JSON object like {"message": "Hello"}.'],
    ['the message is missing', '{}', 400, 'missing_message', 'The body needs a "message" field: the text to send to the model.'],
    ['the message is null', '{"message":null}', 400, 'missing_message', 'The body needs a "message" field: the text to send to the model.'],
    ['the message is a number', '{"message":42}', 400, 'invalid_message', '"message" must be a string.'],
    ['the message is blank', '{"message":"  \\n "}', 400, 'empty_message', '"message" is empty: type something to ask.'],
    ['the message is too long', JSON.stringify({ message: 'x'.repeat(101) }), 413, 'message_too_long', '"message" is 101 characters long; the limit is 100. Shorten it and try again.'],
    ['the body is too large', JSON.stringify({ message: 'x', pad: 'y'.repeat(3000) }), 413, 'payload_too_large', 'The body is larger than the 2048 bytes this server accepts.'],
    ['the session id has odd characters', '{"message":"Hi","session_id":"a b"}', 400, 'invalid_session_id', '"session_id" must be 1 to 128 letters, digits, "-" or "_".'],
    ['the model is not a string', '{"message":"Hi","model":7}', 400, 'invalid_model', '"model" must be a model name such as "openai/gpt-4o-mini".'],
    ['the model is not enabled', '{"message":"Hi","model":"openai/o1-pro"}', 400, 'model_not_allowed', 'The model "openai/o1-pro" is not enabled on this server. Use one of: openai/gpt-4o-mini.'],
  ])('when %s (%s), then %i %s as JSON', async (_case, body, status, code, message) => {
    const res = await request(app).post(path).set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: message, code });
  });

  test('when the body is not sent as JSON, then 415 says which header to set', async () => {
    const res = await request(app).post(path).set('Content-Type', 'text/plain').send('Hi');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error: 'Send the body as JSON with the header Content-Type: application/json.',
      code: 'unsupported_media_type',
    });
  });
});

describe('unknown routes', () => {
  test.each([
    ['GET', '/api/nope'],
    ['POST', '/api/chat/nope'],
    ['DELETE', '/api/chat'],
  ])('when %s %s is asked for, then 404 JSON names it', async (method, path) => {
    const res = await request(app)[method.toLowerCase() as 'get'](path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: `There is no ${method} ${path} on this server.`, code: 'not_found' });
  });
});

describe('errors never leak internals', () => {
  test('when any bad request is answered, then no stack trace or file path is in the body', async () => {
    const res = await request(app).post('/api/chat').set('Content-Type', 'application/json').send('{bad');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|SyntaxError/);
  });
});
