import { z } from 'zod';

const usageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  cost: z.number().optional(),
});

/**
 * One `data:` payload of an OpenAI-compatible chat completion stream. Only the fields we use
 * are checked; providers add many others (ids, logprobs, native_finish_reason…).
 */
export const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({ content: z.string().nullish() })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema.nullish(),
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

/**
 * True for the chunk nearly every `data:` line is: choices with a content delta, no usage, no
 * error. Such a chunk passes `chunkSchema` as it is and only the checked fields are read, so
 * it can skip zod, which copies every object it validates.
 */
function isPlainContentChunk(json: unknown): json is Chunk {
  if (!isObject(json) || !isNullish(json.usage) || !isNullish(json.error)) return false;
  const { choices } = json;
  if (isNullish(choices)) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) {
    if (!isObject(choice) || !isNullishString(choice.finish_reason)) return false;
    const { delta } = choice;
    if (!isNullish(delta) && !(isObject(delta) && isNullishString(delta.content))) return false;
  }
  return true;
}

/** Validates one parsed `data:` payload: the fast check for plain content chunks, zod for the rest. */
export function parseChunk(json: unknown): { success: true; data: Chunk } | { success: false } {
  if (isPlainContentChunk(json)) return { success: true, data: json };
  return chunkSchema.safeParse(json);
}
