import { z } from 'zod';
import { EmbeddingsError } from '../../errors';

/** Texts sent per request. */
const BATCH = 64;
const TIMEOUT_MS = 30_000;

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

export interface EmbeddingsOptions {
  /** The upstream's base URL (OPENROUTER_BASE_URL); `/embeddings` is added. */
  baseUrl: string;
  /** Sent as a bearer token when not empty. */
  apiKey: string;
  model: string;
}

/** Vectors from an OpenAI-compatible `POST /embeddings` (OpenRouter, OpenAI, Ollama, vLLM…). */
export class EmbeddingsClient {
  constructor(private readonly options: EmbeddingsOptions) {}

  get model(): string {
    return this.options.model;
  }

  /** One vector per text, in order, in batches of 64. Throws EmbeddingsError (502) on any failure. */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let at = 0; at < texts.length; at += BATCH) out.push(...(await this.batch(texts.slice(at, at + BATCH), signal)));
    return out;
  }

  private async batch(input: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey !== '') headers.authorization = `Bearer ${this.options.apiKey}`;
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/embeddings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.options.model, input }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new EmbeddingsError(timeout.aborted ? 'no answer in 30 s' : 'could not connect', error);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new EmbeddingsError(`status ${response.status}`);
    }
    let parsed;
    try {
      parsed = responseSchema.safeParse(await response.json());
    } catch (error) {
      throw new EmbeddingsError('its answer was not JSON', error);
    }
    if (!parsed.success || parsed.data.data.length !== input.length) throw new EmbeddingsError('its answer had not one vector per text');
    const vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(input.length).fill(undefined);
    for (const item of parsed.data.data) vectors[item.index] = Float32Array.from(item.embedding);
    const whole = vectors.filter((v): v is Float32Array => v !== undefined);
    if (whole.length !== input.length) throw new EmbeddingsError('its answer had not one vector per text');
    return whole;
  }
}
