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
