import fc from 'fast-check';
import { chunkSchema, parseChunk } from '../../../src/providers/openrouter/chunk-schema';

/** What the provider reads from a chunk: everything else is ignored. */
function readFields(chunk: ReturnType<typeof chunkSchema.parse>) {
  const choice = chunk.choices?.[0];
  return { content: choice?.delta?.content, finish: choice?.finish_reason, usage: chunk.usage, error: chunk.error };
}

const nullish = fc.constantFrom(null, undefined);
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), nullish, fc.constant([]), fc.constant({}));
const choice = fc.record(
  {
    index: fc.integer(),
    delta: fc.oneof(nullish, anyValue, fc.record({ role: fc.string(), content: fc.oneof(fc.string(), nullish, anyValue) }, { requiredKeys: [] })),
    finish_reason: fc.oneof(fc.string(), nullish, anyValue),
  },
  { requiredKeys: [] },
);
const chunkLike = fc.oneof(
  anyValue,
  fc.record(
    {
      id: fc.string(),
      choices: fc.oneof(fc.array(choice, { maxLength: 3 }), nullish, anyValue),
      usage: fc.oneof(nullish, anyValue, fc.record({ prompt_tokens: fc.integer(), completion_tokens: fc.integer(), total_tokens: fc.integer(), extra: fc.string() })),
      error: fc.oneof(nullish, anyValue, fc.record({ code: fc.oneof(fc.integer(), fc.string()), message: fc.string() })),
    },
    { requiredKeys: [] },
  ),
);

describe('parseChunk', () => {
  test('when a typical content chunk arrives, then it passes with its content', () => {
    const json = JSON.parse(
      '{"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
    );
    const parsed = parseChunk(json);
    expect(parsed.success && readFields(parsed.data)).toEqual({ content: 'Hi', finish: null, usage: undefined, error: undefined });
  });

  test('when any value arrives, then it is accepted exactly when the zod schema accepts it, with the same fields', () => {
    fc.assert(
      fc.property(chunkLike, (json) => {
        const fast = parseChunk(json);
        const zod = chunkSchema.safeParse(json);
        expect(fast.success).toBe(zod.success);
        if (fast.success && zod.success) expect(readFields(fast.data)).toEqual(readFields(zod.data));
      }),
      { numRuns: 2000 },
    );
  });
});
