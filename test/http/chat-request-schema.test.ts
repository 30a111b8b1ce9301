import { z } from 'zod';
import { chatRequestSchema, parseChatRequest } from '../../src/http/chat-request-schema';

function codeOf(body: unknown, max = 10): string {
  try {
    parseChatRequest(body, max);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('parseChatRequest', () => {
  test.each([
    ['a body that is not an object', 'hi', 'invalid_body'],
    ['a null message', { message: null }, 'missing_message'],
    ['a message that is a number', { message: 4 }, 'invalid_message'],
    ['a blank message longer than the limit', { message: ' '.repeat(50) }, 'empty_message'],
    ['a long message and a bad session id', { message: 'x'.repeat(11), session_id: 'a b' }, 'message_too_long'],
    ['a bad session id and a bad model', { message: 'Hi', session_id: 'a/b', model: '' }, 'invalid_session_id'],
    ['a null session id', { message: 'Hi', session_id: null }, 'invalid_session_id'],
    ['a blank model', { message: 'Hi', model: '   ' }, 'invalid_model'],
    ['a model name over 200 characters', { message: 'Hi', model: 'm'.repeat(201) }, 'invalid_model'],
    ['a message exactly at the limit and unknown fields', { message: 'x'.repeat(10), extra: 1 }, 'ok'],
  ])('when the body has %s, then the code is %s', (_what, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  test('when the body is valid, then the input carries its fields and drops unknown ones', () => {
    expect(parseChatRequest({ message: 'Hi', session_id: 's-1', model: 'm', extra: true }, 10)).toEqual({
      message: 'Hi',
      sessionId: 's-1',
      model: 'm',
    });
  });
});

describe('chatRequestSchema', () => {
  test('when turned into JSON Schema, then it states the same limits the parser enforces', () => {
    expect(z.toJSONSchema(chatRequestSchema(8000), { io: 'input' })).toMatchObject({
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string', pattern: '\\S', maxLength: 8000 },
        session_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
        model: { type: 'string', pattern: '\\S', maxLength: 200 },
      },
    });
  });
});
