import type { SourceData } from '../../documents/grounding';
import type { Usage } from '../../providers/types';
import type { AnswerStats, MessageError, MessageRecord, MessageRole, SessionRecord } from '../conversation-store';

export interface SessionRow {
  id: string;
  owner: string | null;
  title: string;
  created_at: string;
  updated_at: string;
  message_count: number;
}

export interface MessageRow {
  id: string;
  session_id: string;
  role: MessageRole;
  content: string;
  html: string | null;
  reasoning: string | null;
  model: string | null;
  source: string | null;
  finish_reason: string | null;
  usage: string | null;
  ttft_ms: number | null;
  error: string | null;
  stats: string | null;
  sources: string | null;
  created_at: string;
}

export function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    title: row.title,
    owner: row.owner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
  };
}

export function toMessage(row: MessageRow): MessageRecord {
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
    usage: row.usage === null ? null : (JSON.parse(row.usage) as Usage),
    ttftMs: row.ttft_ms,
    error: row.error === null ? null : (JSON.parse(row.error) as MessageError),
    stats: row.stats === null ? null : (JSON.parse(row.stats) as AnswerStats),
    sources: row.sources === null ? null : (JSON.parse(row.sources) as SourceData[]),
    createdAt: row.created_at,
  };
}
