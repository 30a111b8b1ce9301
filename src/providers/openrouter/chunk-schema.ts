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
