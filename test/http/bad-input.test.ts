import request from 'supertest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
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

describe('paths whose percent-encoding is invalid', () => {
  test.each([
    ['GET', '/api/chat/streams/%FF', '/api/chat/streams/%FF'],
    ['GET', '/api/chat/streams/%E0%A4%A', '/api/chat/streams/%E0%A4%A'],
    ['POST', '/api/chat/streams/%E0%A4%A/stop', '/api/chat/streams/%E0%A4%A/stop'],
  ])('when %s %s is asked for, then 400 JSON says the path is not valid percent-encoding', async (method, path, shown) => {
    const res = await request(app)[method.toLowerCase() as 'get'](path);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      error: `The path "${shown}" is not valid percent-encoded UTF-8. Encode each part with encodeURIComponent.`,
      code: 'invalid_path',
    });
  });
});

describe('a page path whose percent-encoding is invalid', () => {
  test('when the page retries an undecodable id, then the 400 is a fragment for the form', async () => {
    const res = await request(app).post('/ai-demo/streams/%C0/retry').set('HX-Request', 'true');

    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>The path &quot;/ai-demo/streams/%C0/retry&quot; is not valid percent-encoded UTF-8. Encode each part with encodeURIComponent.</p></div></hx-partial>\n',
    );
  });
});

describe('compressed bodies', () => {
  const json = Buffer.from('{"message":"Hi"}');
  // superagent would send a Buffer as JSON of its bytes: send it as it is.
  const post = (encoding: string, body: Buffer) =>
    request(app)
      .post('/api/chat')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .serialize((b: Buffer) => b as unknown as string)
      .send(body as unknown as object);

  test.each([
    ['gzip', Buffer.from('not gzip at all')],
    ['gzip', gzipSync(json).subarray(0, 12)],
    ['deflate', Buffer.from('not deflate')],
    ['deflate', deflateSync(json).subarray(0, 6)],
    ['br', Buffer.from('\xff\xff\xff not brotli')],
    ['br', brotliCompressSync(json).subarray(0, 5)],
  ])('when a %s body is garbage or cut short, then 400 JSON says it is corrupt', async (encoding, body) => {
    const res = await post(encoding, body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: `The body is not valid "${encoding}" data: it is corrupt or cut short.`,
      code: 'invalid_content_encoding',
    });
  });

  test.each(['gzip', 'deflate', 'br'])('when a well-formed %s body is sent, then it is answered', async (encoding) => {
    const body = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[encoding]!(json);

    const res = await post(encoding, body);

    expect(res.status).toBe(200);
    expect(res.body.source).toBe('mock');
  });

  test('when the encoding is one the server does not take, then 415 JSON names it', async () => {
    const res = await post('compress', json);

    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error: 'Content-Encoding "compress" is not accepted. Send the body uncompressed, or as gzip, deflate or br.',
      code: 'unsupported_content_encoding',
    });
  });
});

describe('values reflected into error messages', () => {
  const long = 'a'.repeat(10_000);
  const clipped = `${'a'.repeat(40)}…`;

  test('when a 10 KB id is asked for, then the 404 repeats only its first 40 characters', async () => {
    const res = await request(app).get(`/api/chat/streams/${long}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: `No answer with id "${clipped}" is live or kept; it may have expired. Start a new one with POST /api/chat/messages.`,
      code: 'stream_not_found',
    });
  });

  test('when a 10 KB path is unknown, then the 404 repeats only its first 40 characters', async () => {
    const res = await request(app).get(`/${long}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: `There is no GET /${'a'.repeat(39)}… on this server.`, code: 'not_found' });
  });

  test('when a long model name is not enabled, then the 400 repeats only its first 40 characters', async () => {
    const model = `x/${'m'.repeat(190)}`;

    const res = await request(app).post('/api/chat').set('Content-Type', 'application/json').send({ message: 'Hi', model });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: `The model "x/${'m'.repeat(38)}…" is not enabled on this server. Use one of: openai/gpt-4o-mini.`,
      code: 'model_not_allowed',
    });
  });

  test('when a long Last-Event-ID is refused, then the 400 repeats only its first 40 characters', async () => {
    const started = await request(app).post('/api/chat/messages').set('Content-Type', 'application/json').send({ message: 'Hi' });

    const res = await request(app).get(started.body.stream_url).set('Last-Event-ID', '9'.repeat(5000));

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_last_event_id');
    expect(res.body.error).toMatch(new RegExp(`^Last-Event-ID "${'9'.repeat(40)}…" is not an event of this answer`));
  });
});
