import type { Conversation, ConversationMessage } from '../conversations/types';
import { trusted } from './html';
import { sourcesFragment } from './source-fragments';
import { storedFooterFragment, storedSourceFragment, storedThinkingFragment } from './stored-answer-fragments';
import type { AnswerView, TurnView } from './view-models';

/** Renders stored markdown to sanitized HTML: for answers that ended without final HTML (failed, cut). */
export type RenderMarkdown = (markdown: string) => string;

function answerView(message: ConversationMessage, sessionId: string, render: RenderMarkdown): AnswerView {
  if (message.streamId !== null) return { kind: 'live', streamId: message.streamId, sessionId };
  return {
    kind: 'stored',
    id: message.id,
    sessionId,
    source: storedSourceFragment(message),
    thinking: storedThinkingFragment(message),
    html: trusted(message.html ?? render(message.content)),
    sources: sourcesFragment(message.id, message.sources ?? []),
    footer: storedFooterFragment(message, sessionId),
  };
}

/**
 * A conversation's messages as the page shows them: each question with the answer after it.
 * An answer still generating here is bound to its live stream, so it resumes where it was;
 * the others are rendered from what is stored.
 */
export function conversationTurns(conversation: Conversation, render: RenderMarkdown): TurnView[] {
  const sessionId = conversation.session.id;
  const turns: TurnView[] = [];
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      turns.push({ sessionId, user: { id: message.id, content: message.content } });
      continue;
    }
    const turn = turns.at(-1);
    if (turn && turn.answer === undefined) turn.answer = answerView(message, sessionId, render);
  }
  return turns;
}
