/** Tokens a chat API adds per message for its role and framing (OpenAI's cookbook counts 3–4). */
const PER_MESSAGE_TOKENS = 4;

/**
 * Estimates a message's tokens by the common rule of thumb of one token per four characters
 * (OpenAI's guidance for English text), plus its framing. It errs high for code and low for
 * some scripts; the history budget leaves room for that.
 */
export function estimateTokens(content: string): number {
  return Math.ceil(content.length / 4) + PER_MESSAGE_TOKENS;
}
