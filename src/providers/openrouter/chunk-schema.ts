import { z } from 'zod';

// A usage or reasoning field in a shape we do not know is dropped, never fatal: the answer's
// text matters more than its bookkeeping.
const usageSchema = z
  .object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number(),
    /** OpenRouter's, in credits; other shapes (Perplexity's cost object) are left out. */
    cost: z.number().optional().catch(undefined),
  })
  .nullish()
  .catch(undefined);

const optionalText = z.string().nullish().catch(undefined);

/**
 * One `data:` payload of an OpenAI-compatible chat completion stream. Only the fields we use
 * are checked; providers add many others (ids, logprobs, native_finish_reason…). Content
 * parts and reasoning details are left as they came: `chunk-deltas.ts` reads the ones it
 * knows and skips the rest.
 */
export const chunkSchema = z.object({
  model: optionalText,
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.union([z.string(), z.array(z.unknown())]).nullish(),
            reasoning: optionalText,
            reasoning_content: optionalText,
            reasoning_details: z.array(z.unknown()).nullish().catch(undefined),
            /** Never decoded (this server calls no tools), only seen, as model output. */
            tool_calls: z.array(z.unknown()).nullish().catch(undefined),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema,
  /** Groq reports usage here instead of in `usage`. */
  x_groq: z.object({ usage: usageSchema }).nullish().catch(undefined),
  error: z
    .object({
      code: z.union([z.number(), z.string()]).nullish(),
      message: z.string().nullish(),
    })
    .nullish(),
});

export type Chunk = z.infer<typeof chunkSchema>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;
const isNullishString = (value: unknown) => isNullish(value) || typeof value === 'string';

function isPlainDelta(delta: unknown): boolean {
  if (isNullish(delta)) return true;
  if (!isObject(delta) || !isNullishString(delta.content)) return false;
  const details = delta.reasoning_details;
  return (
    isNullishString(delta.reasoning) &&
    isNullishString(delta.reasoning_content) &&
    (isNullish(details) || (Array.isArray(details) && details.length === 0))
  );
}

/**
 * True for the chunk nearly every `data:` line is: choices with a text delta, no usage, no
 * error. Such a chunk passes `chunkSchema` as it is and only the checked fields are read, so
 * it can skip zod, which copies every object it validates.
 */
function isPlainContentChunk(json: unknown): json is Chunk {
  if (!isObject(json) || !isNullish(json.usage) || !isNullish(json.error) || !isNullish(json.x_groq)) return false;
  if (!isNullishString(json.model)) return false;
  const { choices } = json;
  if (isNullish(choices)) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) {
    if (!isObject(choice) || !isNullishString(choice.finish_reason) || !isPlainDelta(choice.delta)) return false;
  }
  return true;
}

/** Validates one parsed `data:` payload: the fast check for plain content chunks, zod for the rest. */
export function parseChunk(json: unknown): { success: true; data: Chunk } | { success: false } {
  if (isPlainContentChunk(json)) return { success: true, data: json };
  return chunkSchema.safeParse(json);
}
