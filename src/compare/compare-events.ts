import type { ChatEvent } from '../chat/events';
import type { ProviderName, Usage } from '../providers/types';

export type Side = 'A' | 'B';

export interface CompareStartData {
  compare_id: string;
  session_id: string;
  blind: boolean;
  /** Who answers on each side; null on both in blind mode, until the vote. */
  models: Record<Side, string | null>;
}

/** One side's outcome, as the final `complete` event carries it. */
export interface SideSummary {
  status: 'completed' | 'error';
  /** Null in blind mode. */
  model_name: string | null;
  source: ProviderName | null;
  fallback_reason?: string;
  finish_reason: string | null;
  tokens: number;
  response_time_ms: number;
  tokens_per_second: number;
  ttft_ms: number | null;
  usage: Usage | null;
  /** The answer's text: the whole of it, or what came before a stop or an error. */
  full_response: string;
  /** The final sanitized HTML; empty after an error. */
  html: string;
  error?: string;
  code?: string;
}

export interface CompareCompleteData {
  compare_id: string;
  blind: boolean;
  A: SideSummary;
  B: SideSummary;
}

/** What a compare run yields: its start, each side's ChatEvents as they come, then both summaries. */
export type CompareEvent =
  | { readonly type: 'start'; readonly data: CompareStartData }
  | {
      readonly type: 'side';
      readonly side: Side;
      readonly event: ChatEvent;
      readonly blind: boolean;
      /** On a side's final event: milliseconds from the request to its end, and its deltas. */
      readonly end?: { readonly responseTimeMs: number; readonly count: number };
    }
  | { readonly type: 'complete'; readonly data: CompareCompleteData };
