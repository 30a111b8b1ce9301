import { exportConversation } from '../../src/conversations/export-conversation';
import type { Conversation, ConversationMessage } from '../../src/conversations/types';

const AT = '2026-01-01T10:00:00.000Z';

function message(role: 'user' | 'assistant', content: string, extra: Partial<ConversationMessage> = {}): ConversationMessage {
  return {
    id: 'm', sessionId: 's', role, content, html: null, reasoning: null, model: role === 'assistant' ? 'm/x' : null,
    source: null, finishReason: role === 'assistant' ? 'stop' : null, usage: null, ttftMs: null, error: null,
    createdAt: AT, streamId: null, ...extra,
  };
}

function conversation(messages: ConversationMessage[]): Conversation {
  return { session: { id: 's-1', title: 'Trip', owner: null, createdAt: AT, updatedAt: AT, messageCount: messages.length }, messages };
}

describe('exportConversation as Markdown', () => {
  test('when answers did not end normally, then a quote after each says how it ended', () => {
    const file = exportConversation(
      conversation([
        message('user', 'Q1'),
        message('assistant', 'Half', { finishReason: 'error', error: { error: 'The provider failed.', code: 'upstream_unavailable', retryable: true } }),
        message('user', 'Q2'),
        message('assistant', '', { finishReason: 'stopped' }),
        message('user', 'Q3'),
        message('assistant', 'Cut', { finishReason: 'interrupted', model: null }),
        message('user', 'Q4'),
        message('assistant', 'So far', { finishReason: null }),
      ]),
      'md',
    );

    expect(file).toEqual({
      filename: 'conversation-s-1.md',
      contentType: 'text/markdown; charset=utf-8',
      body:
        `# Trip\n\nLast changed ${AT} · 8 messages\n\n` +
        '## You\n\nQ1\n\n## Assistant (m/x)\n\nHalf\n\n> Failed: The provider failed.\n\n' +
        '## You\n\nQ2\n\n## Assistant (m/x)\n\n> Stopped before the end.\n\n' +
        '## You\n\nQ3\n\n## Assistant\n\nCut\n\n> Interrupted: the server stopped while this answer was written.\n\n' +
        '## You\n\nQ4\n\n## Assistant (m/x)\n\nSo far\n\n> Still being written when exported.\n',
    });
  });
});

describe('exportConversation of a grounded answer', () => {
  const sources = [
    { n: 1, document_id: 'd-1', name: 'handbook.md', page: 1, heading: 'Leave > Annual leave', chunk: 0, snippet: 'Every employee has 25 days.', score: 0.0328 },
    { n: 2, document_id: 'd-2', name: 'guide.pdf', page: 3, heading: '', chunk: 4, snippet: 'Llamas hum\nwhen content.', score: 0.0161 },
  ];
  const grounded = () => conversation([message('user', 'Leave?'), message('assistant', '25 days [1].', { sources }), message('user', 'Thanks'), message('assistant', 'Welcome', { sources: null })]);

  test('when exported as Markdown, then a Sources list under the answer names each passage as the answer cites it', () => {
    expect(exportConversation(grounded(), 'md').body).toBe(
      `# Trip\n\nLast changed ${AT} · 4 messages\n\n` +
        '## You\n\nLeave?\n\n## Assistant (m/x)\n\n25 days [1].\n\n' +
        'Sources:\n\n1. handbook.md (Leave > Annual leave): "Every employee has 25 days."\n2. guide.pdf (page 3): "Llamas hum when content."\n\n' +
        '## You\n\nThanks\n\n## Assistant (m/x)\n\nWelcome\n',
    );
  });

  test('when exported as JSON, then each answer carries its sources array, or null when asked without documents', () => {
    const body = JSON.parse(exportConversation(grounded(), 'json').body) as { messages: Array<{ sources: unknown }> };
    expect(body.messages.map((m) => m.sources)).toEqual([null, sources, null, null]);
  });
});
