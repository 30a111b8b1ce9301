import { io as connect } from 'socket.io-client';
import { type PostgresServer, startPostgres } from '../helpers/postgres-server';
import { TestRedis } from '../helpers/redis-server';
import { framesOf, type Instance, readSse, sleep, startInstance, startProxy, stopInstance } from '../helpers/scale-cluster';
import { answerEnd, type ClientSocket } from '../helpers/socket-app';

// Three instances behind a round-robin proxy, sharing one Redis and one PostgreSQL database.
let redis: TestRedis;
let postgres: PostgresServer;
let env: Record<string, string>;
let instances: Instance[] = [];
/** A fourth instance, started beside the others, for the SIGKILL test. */
let victim: Instance;
let proxy: Awaited<ReturnType<typeof startProxy>>;
const timings: Record<string, number> = {};

const json = { 'Content-Type': 'application/json' };

async function startTurn(origin: string, body: Record<string, string> = { message: 'Hi' }): Promise<{ id: string; session_id: string }> {
  const res = await fetch(`${origin}/api/chat/messages`, { method: 'POST', headers: json, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return (await res.json()) as { id: string; session_id: string };
}

const startAnswer = async (origin: string) => (await startTurn(origin)).id;

const watch = (origin: string, id: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/api/chat/streams/${id}`, { headers });

beforeAll(async () => {
  [redis, postgres] = await Promise.all([TestRedis.start(), startPostgres()]);
  env = {
    REDIS_URL: redis.url,
    DATABASE_URL: await postgres.freshUrl(),
    MOCK_DELAY_MS: '15',
    LEASE_MS: '2000',
    STREAM_GRACE_MS: '3000',
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_STREAM_PER_MIN: '30',
  };
  // In parallel: under load each start takes seconds.
  const started = await Promise.all([1, 2, 3, 4].map(() => startInstance(env)));
  instances = started.slice(0, 3);
  victim = started[3]!;
  proxy = await startProxy(() => instances.map((i) => i.origin));
}, 90_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([...instances, ...(victim ? [victim] : [])].map((i) => stopInstance(i, 'SIGKILL')));
  await redis?.close();
  await postgres?.stop();
  process.stdout.write(`scale-out timings (ms): ${JSON.stringify(timings)}\n`);
});

describe('three instances sharing Redis', () => {
  test('when an answer started on instance 1 is followed from instance 2 and resumed on instance 3, then all three see byte-identical events', async () => {
    const [one, two, three] = instances as [Instance, Instance, Instance];
    const id = await startAnswer(one.origin);
    const [local, followed] = await Promise.all([
      watch(one.origin, id).then((res) => readSse(res)),
      watch(two.origin, id).then((res) => readSse(res)),
    ]);
    const frames = framesOf(local);
    expect(frames.at(-1)).toMatch(/^event: complete\n/);
    expect(framesOf(followed)).toEqual(frames);

    const resumeAt = 5;
    const asked = performance.now();
    const res = await watch(three.origin, id, { 'Last-Event-ID': String(resumeAt) });
    const resumed = await readSse(res, (text) => {
      timings.resume_first_event ??= performance.now() - asked;
      return false;
    });
    expect(res.status).toBe(200);
    expect(framesOf(resumed)).toEqual(frames.slice(resumeAt + 1));
  }, 30_000);

  test('when Stop is sent to instance 3 for an answer instance 1 generates, then it ends stopped for its viewers', async () => {
    const [one, two, three] = instances as [Instance, Instance, Instance];
    const id = await startAnswer(one.origin);
    let stoppedAt = 0;
    const body = watch(two.origin, id).then((res) => readSse(res));
    await sleep(300);
    const sent = performance.now();
    const stop = await fetch(`${three.origin}/api/chat/streams/${id}/stop`, { method: 'POST' });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toEqual({ id, status: 'stopping' });
    const text = await body;
    stoppedAt = performance.now();
    timings.stop_to_complete = stoppedAt - sent;
    const complete = JSON.parse(/event: complete\nid: \d+\ndata: (.*)\n\n$/.exec(text)![1]!) as { finish_reason: string; tokens: number };
    expect(complete.finish_reason).toBe('stopped');
    // Stopped well before its 206 tokens were all sent.
    expect(complete.tokens).toBeLessThan(206);
  }, 30_000);

  test('when a viewer is on another instance only, then the producer does not abandon the answer after its grace period', async () => {
    const [one, two] = instances as [Instance, Instance];
    // 206 tokens at 15 ms outlast the 3 s grace period, which would abandon an unwatched answer.
    const id = await startAnswer(one.origin);
    const text = await watch(two.origin, id).then((res) => readSse(res));
    const complete = JSON.parse(/event: complete\nid: \d+\ndata: (.*)\n\n$/.exec(text)![1]!) as { finish_reason: string };
    expect(complete.finish_reason).toBe('stop');
  }, 30_000);

  test('when 31 answers are started through the proxy by one client, then the 31st gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await fetch(`${proxy.origin}/api/chat/messages`, {
        method: 'POST',
        headers: { ...json, 'x-test-client': '192.0.2.31' },
        body: JSON.stringify({ message: `n${i}` }),
      });
      statuses.push(res.status);
      if (res.status === 202) {
        // Stop it at once: the test is about the count, not the answers.
        const { id } = (await res.json()) as { id: string };
        await fetch(`${proxy.origin}/api/chat/streams/${id}/stop`, { method: 'POST' });
      } else {
        expect(await res.json()).toMatchObject({ code: 'rate_limited' });
      }
    }
    expect(statuses).toEqual([...Array<number>(30).fill(202), 429]);
  }, 30_000);

  test('when one client spends its answers over HTTP on two instances, then its chat_stream on the third is refused: one count in Redis for both transports', async () => {
    const [one, two, three] = instances as [Instance, Instance, Instance];
    const client = { 'x-forwarded-for': '192.0.2.77' };
    for (let i = 0; i < 29; i++) {
      const res = await fetch(`${(i % 2 === 0 ? one : two).origin}/api/chat/messages`, {
        method: 'POST',
        headers: { ...json, ...client },
        body: JSON.stringify({ message: `s${i}` }),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      await fetch(`${one.origin}/api/chat/streams/${id}/stop`, { method: 'POST' });
    }
    const sockets: ClientSocket[] = [];
    const ask = async (origin: string) => {
      const socket: ClientSocket = connect(origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: client });
      sockets.push(socket);
      const end = answerEnd(socket);
      socket.emit('chat_stream', { message: 'Hi' });
      return end;
    };
    try {
      expect((await ask(three.origin))[0]).toBe('chat_complete');
      const [name, refused] = await ask(three.origin);
      expect(name).toBe('chat_stream_error');
      expect(refused).toMatchObject({ code: 'rate_limited' });
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  }, 30_000);

  test('when a document is uploaded through instance 1, then an answer grounded through instance 2 cites it, and a delete through instance 3 takes it from both', async () => {
    const [one, two, three] = instances as [Instance, Instance, Instance];
    const client = { 'x-forwarded-for': '192.0.2.15' };
    const form = new FormData();
    form.append('file', new Blob(['# Leave\n\n## Annual leave\n\nEvery employee has 25 days of annual leave a year.\n']), 'handbook.md');
    const uploaded = await fetch(`${one.origin}/api/documents`, { method: 'POST', headers: client, body: form });
    expect(uploaded.status).toBe(201);
    const [document] = ((await uploaded.json()) as { documents: { id: string }[] }).documents;
    const ask = async () => {
      const res = await fetch(`${two.origin}/api/chat/messages`, {
        method: 'POST',
        headers: { ...json, ...client },
        body: JSON.stringify({ message: 'How many days of annual leave?', documents: 'all' }),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const text = await watch(two.origin, id, client).then((r) => readSse(r, (t) => /event: (sources|message)\n/.test(t)));
      await fetch(`${two.origin}/api/chat/streams/${id}/stop`, { method: 'POST', headers: client });
      return text;
    };

    const sources = /event: sources\nid: \d+\ndata: (.*)\n\n/.exec(await ask());
    expect(JSON.parse(sources![1]!)).toEqual({
      sources: [
        {
          n: 1, document_id: document!.id, name: 'handbook.md', page: 1, heading: 'Leave > Annual leave', chunk: 0,
          snippet: 'Every employee has 25 days of annual leave a year.', score: expect.any(Number),
        },
      ],
    });

    expect((await fetch(`${three.origin}/api/documents/${document!.id}`, { method: 'DELETE', headers: client })).status).toBe(200);
    const after = await ask();
    expect(after).toContain('"message":"Searching 0 documents…"');
    expect(after).toMatch(/event: sources\nid: \d+\ndata: \{"sources":\[\]\}\n\n/);
  }, 30_000);

  test('when the generating instance is SIGKILLed, then viewers elsewhere get producer_lost and the stored answer is interrupted', async () => {
    const [, two, three] = instances as [Instance, Instance, Instance];
    const { id, session_id } = await startTurn(victim.origin);
    let killedAt = 0;
    const lostAt: number[] = [];
    const viewers = [two, three].map((i) =>
      watch(i.origin, id).then((res) =>
        readSse(res, (text) => {
          // Killed once well into the answer: a producer just started must hold its lease already.
          if (killedAt === 0 && text.includes('"count":40,')) {
            killedAt = performance.now();
            victim.child.kill('SIGKILL');

          }
          if (text.includes('event: error')) lostAt.push(performance.now() - killedAt);
          return text.includes('event: error');
        }),
      ),
    );
    const bodies = await Promise.all(viewers);
    timings.sigkill_to_producer_lost = Math.max(...lostAt);
    for (const body of bodies) {
      const error = /event: error\nid: \d+\ndata: (.*)\n\n$/.exec(body);
      expect(JSON.parse(error![1]!)).toEqual({
        error: 'The server generating this answer stopped before it ended. The text so far is kept; ask again to get a whole answer.',
        code: 'producer_lost',
        retryable: true,
      });
    }
    // Both viewers saw the same frames, the error included.
    expect(framesOf(bodies[0]!)).toEqual(framesOf(bodies[1]!));
    expect(killedAt).toBeGreaterThan(0);
    const sent = framesOf(bodies[0]!)
      .filter((frame) => frame.startsWith('event: message'))
      .map((frame) => (JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { content: string }).content)
      .join('');
    const stored = (await (await fetch(`${three.origin}/api/chat/sessions/${session_id}/messages`)).json()) as {
      messages: { id: string; content: string; finish_reason: string | null }[];
    };
    expect(stored.messages.find((m) => m.id === id)).toMatchObject({ content: sent, finish_reason: 'interrupted' });
    await stopInstance(victim, 'SIGKILL');
  }, 30_000);

  test('when a conversation is written through one instance, then every instance reads it the same, also after all three restart', async () => {
    const [one, two] = instances as [Instance, Instance];
    const { id, session_id } = await startTurn(one.origin, { message: 'Remember this' });
    await watch(two.origin, id).then((res) => readSse(res));
    const read = async () =>
      Promise.all(instances.map(async (i) => (await fetch(`${i.origin}/api/chat/sessions/${session_id}/messages`)).text()));
    // The end of an answer is stored just after its viewers get `complete`: read once it is.
    let before = await read();
    for (let i = 0; i < 100 && !before.every((body) => body.includes('"finish_reason":"stop"')); i++) {
      await sleep(20);
      before = await read();
    }
    expect(JSON.parse(before[0]!)).toMatchObject({
      session_id,
      messages: [
        { role: 'user', content: 'Remember this' },
        { id, role: 'assistant', finish_reason: 'stop' },
      ],
    });
    expect(new Set(before).size).toBe(1);

    await Promise.all(instances.map((i) => stopInstance(i)));
    instances = await Promise.all([1, 2, 3].map(() => startInstance(env)));
    expect(await read()).toEqual(before);
  }, 90_000);

  test('when Redis stops, then new answers get 503 and /health says why; when it is back, answers work again without a restart', async () => {
    const [one, two, three] = instances as [Instance, Instance, Instance];
    const health = async (i: Instance) => (await (await fetch(`${i.origin}/health`)).json()) as { status: string; redis: { status: string; error?: string } };
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i++) await sleep(50);
    };
    await redis.pause();
    const downAt = performance.now();
    // Down at once, and why once each has tried to reconnect.
    await until(async () => (await Promise.all(instances.map(health))).every((h) => h.redis.error?.includes('ECONNREFUSED') === true));

    for (const i of instances) {
      const res = await fetch(`${i.origin}/api/chat/messages`, { method: 'POST', headers: json, body: '{"message":"Hi"}' });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: 'Redis, which this server shares answers through, is unreachable just now. Try again in a few seconds.',
        code: 'redis_unavailable',
      });
    }
    const down = await health(one);
    expect(down).toMatchObject({ status: 'degraded', redis: { status: 'down' } });
    expect(down.redis.error).toEqual(expect.stringContaining('ECONNREFUSED'));
    const ready = await fetch(`${two.origin}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'redis_unavailable' });

    const backAt = performance.now();
    await redis.resume();
    await until(async () => (await Promise.all(instances.map(health))).every((h) => h.redis.status === 'up'));
    timings.redis_back_to_healthy = performance.now() - backAt;
    timings.redis_down_to_healthy = performance.now() - downAt;
    for (const i of instances) expect(i.child.exitCode).toBeNull();
    const id = await startAnswer(two.origin);
    const text = await watch(three.origin, id).then((res) => readSse(res));
    expect(text).toMatch(/event: complete\nid: \d+\ndata: .*"finish_reason":"stop"/);
    expect(await health(one)).toMatchObject({ status: 'ok', redis: { status: 'up', attempts: 0 } });
  }, 40_000);
});
