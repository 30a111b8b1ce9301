import type { Usage } from '../../providers/types';
import type { MessageError, MessageRecord } from '../conversation-store';
import type { MessageRow } from '../sqlite/rows';

/** A messages row as node-postgres returns it: json columns arrive parsed. */
export interface PostgresMessageRow extends Omit<MessageRow, 'usage' | 'error'> {
  usage: Usage | null;
  error: MessageError | null;
}

export function toMessage(row: PostgresMessageRow): MessageRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    content: row.content,
    html: row.html,
    reasoning: row.reasoning,
    model: row.model,
    source: row.source,
    finishReason: row.finish_reason,
    usage: row.usage,
    ttftMs: row.ttft_ms,
    error: row.error,
    createdAt: row.created_at,
  };
}
