/**
 * The markdown the paced fake upstream streams: every construct the renderer handles (headings,
 * emphasis, lists, inline code, fenced code, tables, quotes) within the first 64 deltas, so a
 * default stream exercises commit and tail rendering of each. Longer streams repeat the sections.
 */
const SECTIONS = [
  `## Streaming in Node

Use **backpressure** when you write:

- check \`write()\`
- wait for *drain*

\`\`\`ts
if (!res.write(frame)) await drained(res);
\`\`\`

| Step | Cost |
| --- | --- |
| parse | low |
| render | high |

`,
  `### Why it matters

A proxy should add **nothing** a reader can notice. Each token passes through *parsing*, rendering and a write.

1. Parse the upstream chunk.
2. Render the open block.
3. Write one frame.

> Measure before you optimise.

`,
  `#### Example

\`\`\`python
def stream(tokens):
    for token in tokens:
        yield token
\`\`\`

Tables are committed when they end:

| Metric | Target |
| --- | --- |
| TTFT p99 | 1 ms |
| ITL p99 | 0.5 ms |

`,
];

/** Cuts text into model-like deltas of at most six non-space characters, keeping whitespace. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S{1,6}\s*/g) ?? [];
}

const TOKENS: readonly string[] = tokenize(SECTIONS.join(''));

/** The first `count` deltas of the answer, repeating the document when it runs out. */
export function answerDeltas(count: number): string[] {
  const deltas: string[] = [];
  for (let i = 0; i < count; i++) deltas.push(TOKENS[i % TOKENS.length]!);
  return deltas;
}

/** The delta at `index`, for a stream of any length. */
export function answerDelta(index: number): string {
  return TOKENS[index % TOKENS.length]!;
}

/** How many distinct deltas the document holds before it repeats. */
export const ANSWER_LENGTH = TOKENS.length;
