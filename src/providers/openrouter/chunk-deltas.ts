import type { Delta } from '../types';
import type { Chunk } from './chunk-schema';

type ChoiceDelta = NonNullable<NonNullable<NonNullable<Chunk['choices']>[number]>['delta']>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A thinking part's text: a string (`{"thinking": "…"}`) or text parts (Mistral's `{"thinking": [{"type":"text",…}]}`). */
function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  return thinking.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

/**
 * `delta.content` as typed parts: text parts are the answer, thinking parts the reasoning.
 * Parts of any other type (images, citations, tool results…) are skipped.
 */
function contentParts(parts: readonly unknown[], out: Delta[]): void {
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') {
      out.push({ type: 'content', content: part.text });
    } else if (part.type === 'thinking' || part.type === 'reasoning') {
      const text = thinkingText(part.thinking ?? part.reasoning ?? part.text);
      if (text !== '') out.push({ type: 'reasoning', content: text });
    }
  }
}

/** OpenRouter's `reasoning_details`: the text of `reasoning.text` and `reasoning.summary` entries; encrypted ones carry none. */
function detailsText(details: readonly unknown[]): string {
  let text = '';
  for (const detail of details) {
    if (!isObject(detail)) continue;
    if (detail.type === 'reasoning.text' && typeof detail.text === 'string') text += detail.text;
    else if (detail.type === 'reasoning.summary' && typeof detail.summary === 'string') text += detail.summary;
  }
  return text;
}

/**
 * The reasoning of one delta. Servers name it `reasoning_content` (DeepSeek, vLLM, llama.cpp)
 * or `reasoning` (OpenRouter, Groq, Ollama), and some send both with the same text, so the
 * first present one is taken, never both. OpenRouter also repeats it in `reasoning_details`,
 * read only when neither plain field is there.
 */
function reasoningText(delta: ChoiceDelta): string {
  const plain = delta.reasoning_content || delta.reasoning;
  if (plain) return plain;
  return delta.reasoning_details ? detailsText(delta.reasoning_details) : '';
}

/**
 * The deltas one chunk carries, added to `out` in the order a reader meets them: reasoning,
 * then content, then the finish reason, then usage (from `usage`, or Groq's `x_groq.usage`).
 * Errors are the provider's to raise, so they are not read here. Into an array rather than as
 * a generator: this runs for every chunk of every answer.
 */
export function chunkDeltas(chunk: Chunk, out: Delta[]): void {
  const choice = chunk.choices?.[0];
  const delta = choice?.delta;
  if (delta) {
    const reasoning = reasoningText(delta);
    if (reasoning !== '') out.push({ type: 'reasoning', content: reasoning });
    const { content } = delta;
    if (typeof content === 'string') {
      if (content !== '') out.push({ type: 'content', content });
    } else if (content) {
      contentParts(content, out);
    }
  }
  if (choice?.finish_reason) out.push({ type: 'finish', finishReason: choice.finish_reason });
  const usage = chunk.usage ?? chunk.x_groq?.usage;
  if (usage) out.push({ type: 'usage', usage });
}
