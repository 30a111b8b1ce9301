import type { ConversationStore, FinishedAnswer, StartTurnInput } from '../../src/stores/conversation-store';

/**
 * One backend under test. `open` opens the store at the same place every time it is called
 * within a test (a restart reopens what the last one wrote); `cleanup` removes it after the test.
 */
export interface StoreBackend {
  open(): Promise<ConversationStore>;
  cleanup(): Promise<void>;
}

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T10:00:01.000Z';
const T2 = '2026-01-01T10:00:02.000Z';
const T3 = '2026-01-01T10:00:03.000Z';

export function turn(n: number, overrides: Partial<StartTurnInput> = {}): StartTurnInput {
  return {
    sessionId: 's-1',
    owner: null,
    title: 'First question',
    user: { id: `u-${n}`, content: `question ${n}` },
    answer: { id: `a-${n}`, model: 'openai/gpt-4o-mini' },
    now: T0,
    ...overrides,
  };
}

export function finished(content: string, overrides: Partial<FinishedAnswer> = {}): FinishedAnswer {
  return {
    content,
    html: `<p>${content}</p>\n`,
    reasoning: null,
    model: 'openai/gpt-4o-mini',
    source: 'openrouter',
    finishReason: 'stop',
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 },
    ttftMs: 212.4,
    error: null,
    stats: { tokens: 3, tokensPerSecond: 30.2, reasoningMs: 1250 },
    ...overrides,
  };
}

/**
 * The behaviour every ConversationStore must have, run against each backend (SQLite now, a
 * database server later) the way Kysely and Prisma run one suite against every dialect.
 */
export function describeConversationStore(name: string, makeBackend: () => StoreBackend): void {
  describe(`ConversationStore: ${name}`, () => {
    let backend: StoreBackend;
    let store: ConversationStore;
    beforeEach(async () => {
      backend = makeBackend();
      store = await backend.open();
    });
    afterEach(async () => {
      await store.close();
      await backend.cleanup();
    });

    test('when a turn starts in a new session, then the session, the question and a streaming answer are stored', async () => {
      expect(await store.startTurn(turn(1))).toBe(true);

      expect(await store.getSession('s-1', null)).toEqual({
        id: 's-1',
        title: 'First question',
        owner: null,
        createdAt: T0,
        updatedAt: T0,
        messageCount: 2,
      });
      expect(await store.listMessages('s-1', null)).toEqual([
        {
          id: 'u-1', sessionId: 's-1', role: 'user', content: 'question 1', html: null, reasoning: null, model: null,
          source: null, finishReason: null, usage: null, ttftMs: null, error: null, stats: null, sources: null, createdAt: T0,
        },
        {
          id: 'a-1', sessionId: 's-1', role: 'assistant', content: '', html: null, reasoning: null,
          model: 'openai/gpt-4o-mini', source: null, finishReason: null, usage: null, ttftMs: null, error: null, stats: null, sources: null, createdAt: T0,
        },
      ]);
    });

    test('when an answer ends, then every field of it is kept and the session is touched', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('Hello', { reasoning: 'Thought', source: 'mock' }), T1);

      const [, answer] = (await store.listMessages('s-1', null))!;
      expect(answer).toEqual({
        id: 'a-1', sessionId: 's-1', role: 'assistant', content: 'Hello', html: '<p>Hello</p>\n', reasoning: 'Thought',
        model: 'openai/gpt-4o-mini', source: 'mock', finishReason: 'stop',
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 }, ttftMs: 212.4,
        error: null, stats: { tokens: 3, tokensPerSecond: 30.2, reasoningMs: 1250 }, sources: null, createdAt: T0,
      });
      expect((await store.getSession('s-1', null))!.updatedAt).toBe(T1);
    });

    test('when a grounded answer ends, then its sources are kept as the array its sources event sent', async () => {
      const sources = [
        { n: 1, document_id: 'd-1', name: 'handbook.md', page: 1, heading: 'Leave > Annual leave', chunk: 0, snippet: 'Every employee has 25 days.', score: 0.0328 },
        { n: 2, document_id: 'd-2', name: 'guide.pdf', page: 3, heading: '', chunk: 7, snippet: 'Llamas hum "when" content…', score: 0.0161 },
      ];
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('Hello [1]', { sources }), T1);

      const [question, answer] = (await store.listMessages('s-1', null))!;
      expect(answer!.sources).toEqual(sources);
      expect(question!.sources).toBeNull();
    });

    test('when an answer fails, then it is kept as an error row with what it had said', async () => {
      await store.startTurn(turn(1));
      const error = { error: 'The model provider is unavailable (503). Try again.', code: 'upstream_unavailable', retryable: true };
      await store.finishAnswer('a-1', finished('Half', { html: null, finishReason: 'error', usage: null, ttftMs: null, error, stats: null }), T1);

      const [, answer] = (await store.listMessages('s-1', null))!;
      expect(answer).toMatchObject({ content: 'Half', html: null, finishReason: 'error', error, stats: null });
    });

    test('when progress is saved, then the text so far is kept, and never over an answer that ended', async () => {
      await store.startTurn(turn(1));
      await store.saveProgress('a-1', 'Hel');
      expect((await store.listMessages('s-1', null))![1]!.content).toBe('Hel');

      await store.finishAnswer('a-1', finished('Hello'), T1);
      await store.saveProgress('a-1', 'Hel');
      expect((await store.listMessages('s-1', null))![1]!.content).toBe('Hello');
    });

    test('when more turns follow, then messages come back in the order they were added and the title stays', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('one'), T1);
      await store.startTurn(turn(2, { title: 'ignored for an existing session', now: T2 }));

      expect((await store.listMessages('s-1', null))!.map((m) => m.id)).toEqual(['u-1', 'a-1', 'u-2', 'a-2']);
      expect(await store.getSession('s-1', null)).toMatchObject({ title: 'First question', messageCount: 4, updatedAt: T2 });
    });

    test('when the session id is another owner’s, then the turn is refused and nothing is written', async () => {
      await store.startTurn(turn(1, { owner: 'alice' }));

      expect(await store.startTurn(turn(2, { owner: 'bob' }))).toBe(false);
      expect(await store.startTurn(turn(3, { owner: null }))).toBe(false);
      expect((await store.listMessages('s-1', 'alice'))!.map((m) => m.id)).toEqual(['u-1', 'a-1']);
    });

    test('when another owner (or an anonymous caller) asks, then the session is absent for them', async () => {
      await store.startTurn(turn(1, { owner: 'alice' }));

      expect(await store.getSession('s-1', 'bob')).toBeUndefined();
      expect(await store.getSession('s-1', null)).toBeUndefined();
      expect(await store.listMessages('s-1', 'bob')).toBeUndefined();
      expect(await store.listSessions('bob', { limit: 10 })).toEqual([]);
      expect(await store.renameSession('s-1', 'bob', 'Mine now', T1)).toBeUndefined();
      expect(await store.deleteSession('s-1', null)).toBe(false);
      expect(await store.replaceAnswer({ sessionId: 's-1', owner: 'bob', userMessageId: 'u-1', answer: { id: 'a-9', model: 'm' }, now: T1 })).toBe(false);
      expect(await store.getSession('s-1', 'alice')).toMatchObject({ title: 'First question', messageCount: 2 });
    });

    test('when an anonymous session exists, then a signed-in user cannot see it', async () => {
      await store.startTurn(turn(1));

      expect(await store.getSession('s-1', 'alice')).toBeUndefined();
      expect(await store.listSessions('alice', { limit: 10 })).toEqual([]);
    });

    test('when sessions are listed, then the most recently updated come first, a page at a time, ties kept', async () => {
      await store.startTurn(turn(1, { sessionId: 'old', now: T0 }));
      await store.startTurn(turn(2, { sessionId: 'b', now: T2 }));
      await store.startTurn(turn(3, { sessionId: 'a', now: T2 }));
      await store.startTurn(turn(4, { sessionId: 'new', now: T3 }));
      await store.startTurn(turn(5, { sessionId: 'someone-elses', owner: 'alice', now: T3 }));

      const first = await store.listSessions(null, { limit: 2 });
      expect(first.map((s) => s.id)).toEqual(['new', 'b']);
      const second = await store.listSessions(null, { limit: 2, before: { updatedAt: T2, id: 'b' } });
      expect(second.map((s) => s.id)).toEqual(['a', 'old']);
      expect((await store.listSessions(null, { limit: 10, before: { updatedAt: T2 } })).map((s) => s.id)).toEqual(['old']);
    });

    test('when an answer is replaced, then every message after the question goes and a new streaming answer follows it', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('one'), T1);
      await store.startTurn(turn(2, { now: T1 }));
      await store.finishAnswer('a-2', finished('two'), T2);

      const ok = await store.replaceAnswer({ sessionId: 's-1', owner: null, userMessageId: 'u-2', answer: { id: 'a-3', model: 'other/model' }, now: T3 });

      expect(ok).toBe(true);
      const messages = (await store.listMessages('s-1', null))!;
      expect(messages.map((m) => [m.id, m.content, m.finishReason, m.model])).toEqual([
        ['u-1', 'question 1', null, null],
        ['a-1', 'one', 'stop', 'openai/gpt-4o-mini'],
        ['u-2', 'question 2', null, null],
        ['a-3', '', null, 'other/model'],
      ]);
      expect((await store.getSession('s-1', null))!.updatedAt).toBe(T3);
    });

    test('when the last question is edited, then its text changes and the answer after it is replaced', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('one'), T1);

      await store.replaceAnswer({ sessionId: 's-1', owner: null, userMessageId: 'u-1', content: 'better question', answer: { id: 'a-2', model: 'm' }, now: T2 });

      expect((await store.listMessages('s-1', null))!.map((m) => [m.id, m.content])).toEqual([
        ['u-1', 'better question'],
        ['a-2', ''],
      ]);
    });

    test('when the message to replace after is not a question of the session, then nothing changes', async () => {
      await store.startTurn(turn(1));

      expect(await store.replaceAnswer({ sessionId: 's-1', owner: null, userMessageId: 'a-1', answer: { id: 'a-2', model: 'm' }, now: T1 })).toBe(false);
      expect(await store.replaceAnswer({ sessionId: 's-1', owner: null, userMessageId: 'nope', answer: { id: 'a-2', model: 'm' }, now: T1 })).toBe(false);
      expect((await store.listMessages('s-1', null))!.map((m) => m.id)).toEqual(['u-1', 'a-1']);
    });

    test('when an answer that was deleted ends, then the store ignores it', async () => {
      await store.startTurn(turn(1));
      await store.replaceAnswer({ sessionId: 's-1', owner: null, userMessageId: 'u-1', answer: { id: 'a-2', model: 'm' }, now: T1 });

      await store.finishAnswer('a-1', finished('late'), T2);
      await store.saveProgress('a-1', 'late');

      expect((await store.listMessages('s-1', null))!.map((m) => m.id)).toEqual(['u-1', 'a-2']);
    });

    test('when a session is renamed, then its title and update time change', async () => {
      await store.startTurn(turn(1));

      expect(await store.renameSession('s-1', null, 'Trip to Rome', T1)).toMatchObject({ id: 's-1', title: 'Trip to Rome', updatedAt: T1 });
      expect((await store.getSession('s-1', null))!.title).toBe('Trip to Rome');
    });

    test('when a session is deleted, then it and its messages are gone, and a second delete finds nothing', async () => {
      await store.startTurn(turn(1));

      expect(await store.deleteSession('s-1', null)).toBe(true);
      expect(await store.getSession('s-1', null)).toBeUndefined();
      expect(await store.listMessages('s-1', null)).toBeUndefined();
      expect(await store.deleteSession('s-1', null)).toBe(false);
      // The id is free again, and the old messages do not come back with it.
      await store.startTurn(turn(2));
      expect((await store.listMessages('s-1', null))!.map((m) => m.id)).toEqual(['u-2', 'a-2']);
    });

    test('when the store is reopened, then everything written before is there', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('Hello'), T1);
      await store.close();

      store = await backend.open();

      expect(await store.getSession('s-1', null)).toMatchObject({ title: 'First question', messageCount: 2, updatedAt: T1 });
      expect((await store.listMessages('s-1', null))!.map((m) => [m.id, m.content, m.finishReason])).toEqual([
        ['u-1', 'question 1', null],
        ['a-1', 'Hello', 'stop'],
      ]);
    });

    test('when answers were left streaming, then marking them interrupted keeps their text and leaves ended ones alone', async () => {
      await store.startTurn(turn(1));
      await store.finishAnswer('a-1', finished('done'), T1);
      await store.startTurn(turn(2, { now: T1 }));
      await store.saveProgress('a-2', 'half an ans');
      await store.close();
      store = await backend.open();

      expect(await store.markInterrupted()).toBe(1);
      expect(await store.markInterrupted()).toBe(0);
      expect((await store.listMessages('s-1', null))!.map((m) => [m.id, m.content, m.finishReason])).toEqual([
        ['u-1', 'question 1', null],
        ['a-1', 'done', 'stop'],
        ['u-2', 'question 2', null],
        ['a-2', 'half an ans', 'interrupted'],
      ]);
    });
  });
}
