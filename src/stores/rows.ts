import type { VoteRecord } from '../compare/vote-store';
import type { Winner } from '../compare/winner';
import type { SourceData } from '../documents/grounding';
import type { Usage } from '../providers/types';
import type { AnswerStats, MessageError, MessageRecord, MessageRole, SessionRecord } from './conversation-store';

// The rows of the tables as both engines return them (usage, error and stats as JSON text), and
// the records the stores hand out.

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

export interface VoteRow {
  compare_id: string;
  owner: string | null;
  prompt: string;
  model_a: string;
  model_b: string;
  answer_a: string;
  answer_b: string;
  winner: Winner;
  created_at: string;
}

export const VOTE_COLUMNS = 'compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner, created_at';

export function toVote(row: VoteRow): VoteRecord {
  return {
    compareId: row.compare_id,
    owner: row.owner,
    prompt: row.prompt,
    modelA: row.model_a,
    modelB: row.model_b,
    answerA: row.answer_a,
    answerB: row.answer_b,
    winner: row.winner,
    createdAt: row.created_at,
  };
}
