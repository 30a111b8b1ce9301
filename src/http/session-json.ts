import type { ConversationMessage } from '../conversations/types';
import type { SessionCursor, SessionRecord } from '../stores/conversation-store';

/** A session on the wire: the design document's `session_id`, `messages`, `timestamp`, then ours. */
export function sessionJson(session: SessionRecord) {
  return {
    session_id: session.id,
    messages: session.messageCount,
    timestamp: session.updatedAt,
    title: session.title,
    created_at: session.createdAt,
  };
}

export function messageJson(message: ConversationMessage) {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    html: message.html,
    reasoning: message.reasoning,
    model: message.model,
    source: message.source,
    finish_reason: message.finishReason,
    usage: message.usage,
    ttft_ms: message.ttftMs,
    error: message.error,
    sources: message.sources ?? null,
    created_at: message.createdAt,
    stream_url: message.streamId === null ? null : `/api/chat/streams/${message.streamId}`,
  };
}

/** The `before` of the next page: the last session's update time and id, so ties are not skipped. */
export function cursorParam(cursor: SessionCursor | null): string | null {
  return cursor === null ? null : `${cursor.updatedAt}_${cursor.id ?? ''}`;
}
