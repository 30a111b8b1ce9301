import type { StartData, CompleteData } from '../chat/events';

export interface ChatResponseBody {
  response: string;
  html: string;
  id: string;
  session_id: string;
  model: string;
  requested_model?: string;
  source: CompleteData['source'];
  user: string;
  fallback_reason?: string;
  finish_reason: string;
  usage: CompleteData['usage'];
  tokens: number;
  duration: number;
  tokens_per_second: number;
  ttft_ms: number | null;
  reasoning: string | null;
  reasoning_ms: number | null;
  /** The passages it may cite, when asked with documents. */
  sources?: CompleteData['sources'];
}

/** The body of `POST /api/chat`: the final event, flattened, with the mock's label kept. */
export function encodeJsonBody(complete: CompleteData, start: StartData | undefined): ChatResponseBody {
  const body: ChatResponseBody = {
    response: complete.full_response,
    html: complete.html,
    id: complete.id,
    session_id: complete.session_id,
    model: complete.model,
    ...(complete.requested_model === undefined ? {} : { requested_model: complete.requested_model }),
    source: complete.source,
    user: complete.user,
    finish_reason: complete.finish_reason,
    usage: complete.usage,
    tokens: complete.tokens,
    duration: complete.duration,
    tokens_per_second: complete.tokens_per_second,
    ttft_ms: complete.ttft_ms,
    reasoning: complete.reasoning,
    reasoning_ms: complete.reasoning_ms,
    ...(complete.sources === undefined ? {} : { sources: complete.sources }),
  };
  if (start?.fallback_reason) body.fallback_reason = start.fallback_reason;
  return body;
}
