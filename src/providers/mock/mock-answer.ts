/** Backslash-escapes markdown punctuation so an echoed question cannot change the layout. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/**
 * The mock's answer: realistic markdown (heading, emphasis, list, code, table, link) that
 * says plainly that no model wrote it.
 */
export function mockAnswer(question: string): string {
  const asked = question.replace(/\s+/g, ' ').trim();
  // Counted in characters, not UTF-16 units, so an emoji at the cut is kept or dropped whole.
  const characters = [...asked];
  const shown = characters.length > 120 ? `${characters.slice(0, 117).join('')}...` : asked;
  return `## Mock answer

This reply comes from the **built-in mock**, not from a language model. You asked: *${escapeMarkdown(shown)}*

Set \`OPENROUTER_API_KEY\` to stream real answers from [OpenRouter](https://openrouter.ai/docs), or point \`OPENROUTER_BASE_URL\` at any OpenAI-compatible server.

Meanwhile, here is what a streamed answer can look like:

1. **Bold**, *italic*, \`inline code\` and ~~strikethrough~~ render as they arrive.
2. Lists, tables and code blocks are committed once they are complete.
3. The live block at the end is re-rendered at most once per frame.

\`\`\`ts
const response = await fetch('/api/chat/stream', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ message: 'What is Python?' }),
});
\`\`\`

| Event | When it arrives |
| --- | --- |
| \`start\` | once the source is known |
| \`message\` | with every delta |
| \`complete\` | after the last token |

> Tip: the footer shows tokens, tokens per second and the time to the first token.
`;
}

/**
 * Cuts text into word-sized tokens (each keeps its trailing whitespace), like a model's deltas.
 * The `u` flag makes `\S` a whole character, so no token ends inside a surrogate pair.
 */
export function mockTokens(text: string): string[] {
  return text.match(/\s*\S{1,6}\s*/gu) ?? [];
}
