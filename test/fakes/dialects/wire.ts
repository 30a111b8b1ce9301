/** Helpers to write a provider's stream as the bytes it sends. */

export const data = (payload: unknown): string => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
export const comment = (text: string): string => `: ${text}\n\n`;
export const DONE = 'data: [DONE]\n\n';

/** What the server must make of a dialect's stream. */
export interface DialectExpectation {
  content: string;
  reasoning: string | null;
  /** `complete.model`: the model the chunks name, or the requested one when they name none. */
  model: string;
  finishReason: string;
  /** `complete.tokens`: the upstream's completion_tokens when it reports usage. */
  tokens: number;
  usage: Record<string, number> | null;
}

export interface Dialect {
  name: string;
  /** Where its shape comes from, and what is peculiar about it. */
  about: string;
  wire: string;
  /** After the last byte: end the response, or keep the connection open (a server that never closes). */
  after?: 'end' | 'hold';
  expected: DialectExpectation;
}
