import type { ChatRequest } from '../types';

/**
 * The JSON body of a streaming chat completion. `fallbackModels` go out as OpenRouter's
 * `models` array (the requested model first), so OpenRouter itself moves to the next one when
 * a model is down; other servers ignore the field.
 */
export function requestBody(request: ChatRequest, fallbackModels: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const others = fallbackModels.filter((m) => m !== request.model);
  if (others.length > 0) body.models = [request.model, ...others];
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  return body;
}
