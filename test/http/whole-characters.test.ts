import request from 'supertest';
import { framesOf } from '../helpers/sse';
import { buildTestApp } from '../helpers/test-app';

// Half of a surrogate pair: what a client decoding each event on its own could not rebuild.
const HALF_PAIR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('no event holds half a character', () => {
  test('when the mock echoes a question of emoji, then no content, token or HTML holds half a surrogate pair', async () => {
    const { app } = buildTestApp({ RENDER_FRAME_MS: '0' });
    const question = `${'👩‍💻'.repeat(9)} ${'🌍'.repeat(140)}`;
    const res = await request(app).post('/api/chat/stream').send({ message: question });
    const frames = framesOf(res.text);
    expect(frames.at(-1)!.event).toBe('complete');
    const texts = frames.flatMap((f) =>
      f.event === 'message' ? [f.data.content, f.data.token, JSON.stringify(f.data.html)] : f.event === 'complete' ? [f.data.full_response, f.data.html] : [],
    );
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter((t) => HALF_PAIR.test(t))).toEqual([]);
    // JSON.stringify writes a lone surrogate as an escape: none is on the wire either.
    expect(res.text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  });
});
