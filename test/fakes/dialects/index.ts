import { MODEL } from '../fake-openrouter';
import { DONE, comment, data, type Dialect } from './wire';

export type { Dialect } from './wire';

const THINK_1 = 'The user greets me 👋 in ';
const THINK_2 = 'Japanese: こんにちは. Reply warmly.';
const REASONING = THINK_1 + THINK_2;
const ANSWER_1 = '**Hello!** 😀 ';
const ANSWER_2 = 'こんにちは, how can I help? 🌍';
const ANSWER = ANSWER_1 + ANSWER_2;

const created = 1_733_000_000;

/** OpenRouter (openrouter.ai/docs: streaming, reasoning tokens): processing comments, `reasoning` mirrored in `reasoning_details`, usage with cost. */
const openrouter: Dialect = (() => {
  const base = { id: 'gen-1733000000-Xyz', provider: 'DeepInfra', model: 'deepseek/deepseek-r1', object: 'chat.completion.chunk', created };
  const c = (delta: object, finish: string | null = null, extra: object = {}) =>
    data({ ...base, choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }], ...extra });
  const usage = { prompt_tokens: 14, completion_tokens: 42, total_tokens: 56, cost: 0.000091 };
  return {
    name: 'OpenRouter, reasoning model',
    about: 'reasoning streamed in both `reasoning` and `reasoning_details` (read once), an encrypted detail without text, `: OPENROUTER PROCESSING` comments',
    wire:
      comment('OPENROUTER PROCESSING') +
      comment('OPENROUTER PROCESSING') +
      c({ role: 'assistant', content: '', reasoning: THINK_1, reasoning_details: [{ type: 'reasoning.text', text: THINK_1, format: 'unknown', index: 0 }] }) +
      c({ role: 'assistant', content: '', reasoning: THINK_2, reasoning_details: [{ type: 'reasoning.text', text: THINK_2, format: 'unknown', index: 0 }] }) +
      c({ role: 'assistant', content: '', reasoning: null, reasoning_details: [{ type: 'reasoning.encrypted', data: 'gAAAAB…', format: 'openai-responses-v1', index: 1 }] }) +
      c({ role: 'assistant', content: ANSWER_1, reasoning: null }) +
      comment('OPENROUTER PROCESSING') +
      c({ role: 'assistant', content: ANSWER_2, reasoning: null }) +
      c({ role: 'assistant', content: '' }, 'stop') +
      c({ role: 'assistant', content: '' }, null, { usage }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'deepseek/deepseek-r1', finishReason: 'stop', tokens: 42, usage },
  };
})();

/** OpenAI (platform.openai.com: chat streaming, stream_options.include_usage): a dated model name, usage alone in a last chunk with empty choices. */
const openai: Dialect = (() => {
  const base = { id: 'chatcmpl-AbC', object: 'chat.completion.chunk', created, model: 'gpt-4o-mini-2024-07-18', service_tier: 'default', system_fingerprint: 'fp_0ba0d124f1' };
  const c = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
  const usage = { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 };
  return {
    name: 'OpenAI',
    about: 'dated model in the chunks (reported as complete.model, with requested_model), `refusal: null`, usage in a chunk with `choices: []` and token details',
    wire:
      c({ role: 'assistant', content: '', refusal: null }) +
      c({ content: ANSWER_1 }) +
      c({ content: ANSWER_2 }) +
      c({}, 'stop') +
      data({ ...base, choices: [], usage: { ...usage, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 } } }) +
      DONE,
    expected: { content: ANSWER, reasoning: null, model: 'gpt-4o-mini-2024-07-18', finishReason: 'stop', tokens: 12, usage },
  };
})();

/** DeepSeek (api-docs.deepseek.com: reasoning_model): `reasoning_content` beside `content: null`, keep-alive comments, usage with the finish. */
const deepseek: Dialect = (() => {
  const base = { id: 'f1e2', object: 'chat.completion.chunk', created, model: 'deepseek-reasoner', system_fingerprint: 'fp_7e0991cad4_prod0820' };
  const c = (delta: object, finish: string | null = null, extra: object = {}) =>
    data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const usage = { prompt_tokens: 11, completion_tokens: 30, total_tokens: 41 };
  return {
    name: 'DeepSeek reasoner',
    about: '`reasoning_content` with `content: null`, then `content` with `reasoning_content: null`; `: keep-alive` comments; usage in the finishing chunk',
    wire:
      comment('keep-alive') +
      c({ role: 'assistant', content: null, reasoning_content: '' }) +
      c({ content: null, reasoning_content: THINK_1 }) +
      c({ content: null, reasoning_content: THINK_2 }) +
      c({ content: ANSWER_1, reasoning_content: null }) +
      c({ content: ANSWER_2, reasoning_content: null }) +
      c({ content: '', reasoning_content: null }, 'stop', {
        usage: { ...usage, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 18 }, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 11 },
      }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'deepseek-reasoner', finishReason: 'stop', tokens: 30, usage },
  };
})();

/** Groq (console.groq.com/docs: reasoning, reasoning_format=parsed): `reasoning`, and usage only under `x_groq.usage`. */
const groq: Dialect = (() => {
  const base = { id: 'chatcmpl-g1', object: 'chat.completion.chunk', created, model: 'qwen/qwen3-32b', system_fingerprint: 'fp_1e88ca32eb' };
  const c = (delta: object, finish: string | null = null, extra: object = {}) =>
    data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const usage = { prompt_tokens: 18, completion_tokens: 27, total_tokens: 45 };
  return {
    name: 'Groq',
    about: '`reasoning` deltas; usage only in `x_groq.usage` (with queue and timing fields), never in `usage`',
    wire:
      c({ role: 'assistant', content: '' }, null, { x_groq: { id: 'req_01jb' } }) +
      c({ reasoning: THINK_1 }) +
      c({ reasoning: THINK_2 }) +
      c({ content: ANSWER_1 }) +
      c({ content: ANSWER_2 }) +
      c({}, 'stop', { x_groq: { id: 'req_01jb', usage: { queue_time: 0.021, ...usage, prompt_time: 0.002, completion_time: 0.07, total_time: 0.072 } } }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'qwen/qwen3-32b', finishReason: 'stop', tokens: 27, usage },
  };
})();

/** Mistral Magistral (docs.mistral.ai: reasoning): `content` as typed parts, thinking parts holding text parts, unknown parts. */
const mistral: Dialect = (() => {
  const base = { id: 'cmpl-m1', object: 'chat.completion.chunk', created, model: 'magistral-medium-2507' };
  const c = (delta: object, finish: string | null = null, extra: object = {}) => data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
  const usage = { prompt_tokens: 10, completion_tokens: 33, total_tokens: 43 };
  return {
    name: 'Mistral (Magistral)',
    about: '`content` as an array of parts: `thinking` parts whose `thinking` is text parts, `text` parts, an unknown `reference` part (skipped); usage with the finish',
    wire:
      c({ role: 'assistant', content: '' }) +
      c({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: THINK_1 }] }] }) +
      c({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: THINK_2 }] }] }) +
      c({ content: [{ type: 'text', text: ANSWER_1 }, { type: 'reference', reference_ids: [1] }] }) +
      c({ content: ANSWER_2 }) +
      c({ content: '' }, 'stop', { usage }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'magistral-medium-2507', finishReason: 'stop', tokens: 33, usage },
  };
})();

/** An OpenAI-compatible proxy in front of Anthropic (LiteLLM style): thinking parts with a string and a signature, text parts, an image part. */
const thinkingParts: Dialect = (() => {
  const base = { id: 'chatcmpl-p1', object: 'chat.completion.chunk', created, model: 'claude-sonnet-4' };
  const c = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  return {
    name: 'Content parts with thinking (Anthropic via a proxy)',
    about: '`{"type":"thinking","thinking":"…","signature":"…"}` parts before `{"type":"text"}` parts in one array; an `image_url` part is skipped; no usage',
    wire:
      c({ role: 'assistant', content: [{ type: 'thinking', thinking: THINK_1, signature: 'EqQB' }, { type: 'thinking', thinking: THINK_2 }] }) +
      c({ content: [{ type: 'image_url', image_url: { url: 'https://example.com/x.png' } }, { type: 'text', text: ANSWER_1 }] }) +
      c({ content: [{ type: 'text', text: ANSWER_2 }] }) +
      c({}, 'stop') +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'claude-sonnet-4', finishReason: 'stop', tokens: 2, usage: null },
  };
})();

/** Together (docs.together.ai: streaming): a `text` copy beside the delta, `token_id`s, `eos` finish with usage. */
const together: Dialect = (() => {
  const base = { id: '8f2a', object: 'chat.completion.chunk', created, model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' };
  const c = (content: string, finish: string | null = null, usage: object | null = null) =>
    data({ ...base, choices: [{ index: 0, text: content, logprobs: null, finish_reason: finish, seed: null, delta: { token_id: 9906, role: 'assistant', content, tool_calls: null } }], usage });
  const usage = { prompt_tokens: 40, completion_tokens: 2, total_tokens: 42 };
  return {
    name: 'Together',
    about: 'every choice repeats the delta in `text` (read once, from the delta), `tool_calls: null`, `usage: null` until the `eos` finish that carries it',
    wire: c(ANSWER_1) + c(ANSWER_2) + c('', 'eos', usage) + DONE,
    expected: { content: ANSWER, reasoning: null, model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', finishReason: 'eos', tokens: 2, usage },
  };
})();

/** Azure OpenAI (learn.microsoft.com: content filtering, streaming): a first chunk with empty choices and prompt_filter_results, filter results per choice. */
const azure: Dialect = (() => {
  const filters = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };
  const base = { id: 'chatcmpl-az', object: 'chat.completion.chunk', created, model: 'gpt-4o-2024-11-20', system_fingerprint: 'fp_ee1d74bde0' };
  const c = (delta: object, finish: string | null = null) =>
    data({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null, content_filter_results: finish ? {} : filters }] });
  return {
    name: 'Azure OpenAI',
    about: 'first chunk with `choices: []`, empty `model` and `prompt_filter_results`; `content_filter_results` in every choice; no usage',
    wire:
      data({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: filters }] }) +
      c({ role: 'assistant', content: '' }) +
      c({ content: ANSWER_1 }) +
      c({ content: ANSWER_2 }) +
      c({}, 'stop') +
      DONE,
    expected: { content: ANSWER, reasoning: null, model: 'gpt-4o-2024-11-20', finishReason: 'stop', tokens: 2, usage: null },
  };
})();

/** Ollama (github.com/ollama/ollama docs/openai.md): `reasoning` for thinking models, a usage chunk after the finish. */
const ollama: Dialect = (() => {
  const base = { id: 'chatcmpl-412', object: 'chat.completion.chunk', created, model: 'qwen3:8b', system_fingerprint: 'fp_ollama' };
  const c = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const usage = { prompt_tokens: 12, completion_tokens: 25, total_tokens: 37 };
  return {
    name: 'Ollama',
    about: '`reasoning` beside an empty `content`, `role` repeated in every delta, usage in a last chunk with `choices: []`',
    wire:
      c({ role: 'assistant', content: '', reasoning: THINK_1 }) +
      c({ role: 'assistant', content: '', reasoning: THINK_2 }) +
      c({ role: 'assistant', content: ANSWER_1 }) +
      c({ role: 'assistant', content: ANSWER_2 }) +
      c({ role: 'assistant', content: '' }, 'stop') +
      data({ ...base, choices: [], usage }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'qwen3:8b', finishReason: 'stop', tokens: 25, usage },
  };
})();

/** vLLM (docs.vllm.ai: reasoning outputs): `reasoning_content` and, in newer versions, the same text again as `reasoning`. */
const vllm: Dialect = (() => {
  const base = { id: 'chatcmpl-v1', object: 'chat.completion.chunk', created, model: 'Qwen/Qwen3-8B' };
  const c = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const usage = { prompt_tokens: 15, completion_tokens: 31, total_tokens: 46 };
  return {
    name: 'vLLM',
    about: 'the same reasoning in both `reasoning_content` and `reasoning` (read once), a usage chunk with `choices: []`',
    wire:
      c({ role: 'assistant', content: '' }) +
      c({ reasoning_content: THINK_1, reasoning: THINK_1 }) +
      c({ reasoning_content: THINK_2, reasoning: THINK_2 }) +
      c({ content: ANSWER_1 }) +
      c({ content: ANSWER_2 }) +
      c({ content: '' }, 'stop') +
      data({ ...base, choices: [], usage }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'Qwen/Qwen3-8B', finishReason: 'stop', tokens: 31, usage },
  };
})();

/** llama.cpp server (github.com/ggml-org/llama.cpp tools/server README): `reasoning_content`, timings and usage in the last chunk. */
const llamaCpp: Dialect = (() => {
  const base = { created, id: 'chatcmpl-lc', model: 'qwen3-8b-q4_k_m.gguf', system_fingerprint: 'b5890-0c3aab2e', object: 'chat.completion.chunk' };
  const c = (delta: object, finish: string | null = null, extra: object = {}) => data({ choices: [{ finish_reason: finish, index: 0, delta }], ...base, ...extra });
  const usage = { completion_tokens: 29, prompt_tokens: 13, total_tokens: 42 };
  return {
    name: 'llama.cpp server',
    about: '`reasoning_content`, `content: null` deltas, the finish with `usage` and `timings` in one chunk',
    wire:
      c({ role: 'assistant', content: null }) +
      c({ reasoning_content: THINK_1 }) +
      c({ reasoning_content: THINK_2 }) +
      c({ content: ANSWER_1 }) +
      c({ content: ANSWER_2 }) +
      c({}, 'stop', { usage, timings: { prompt_n: 13, prompt_ms: 41.2, predicted_n: 29, predicted_ms: 512.9 } }) +
      DONE,
    expected: { content: ANSWER, reasoning: REASONING, model: 'qwen3-8b-q4_k_m.gguf', finishReason: 'stop', tokens: 29, usage },
  };
})();

/** Perplexity (docs.perplexity.ai: streaming): usage on every chunk, the whole message so far beside each delta, citations; no [DONE], the connection stays open. */
const perplexity: Dialect = (() => {
  const base = { id: 'pplx-1', model: 'sonar', created, object: 'chat.completion.chunk', citations: ['https://example.com/a'], search_results: [{ title: 'A', url: 'https://example.com/a' }] };
  let soFar = '';
  const c = (content: string, n: number, finish: string | null = null) => {
    soFar += content;
    return data({
      ...base,
      usage: { prompt_tokens: 6, completion_tokens: n, total_tokens: 6 + n, search_context_size: 'low', cost: { total_cost: 0.005 } },
      choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: soFar }, delta: { role: 'assistant', content } }],
    });
  };
  return {
    name: 'Perplexity',
    about: 'usage (with a `cost` object, not a number) on every chunk, the whole message so far in `message` beside the delta (read once, from the delta), no [DONE] and the connection left open',
    wire: c(ANSWER_1, 4) + c(ANSWER_2, 11) + c('', 11, 'stop'),
    after: 'hold',
    // The cost object is not OpenRouter's number: usage keeps the counts and leaves the cost out.
    expected: { content: ANSWER, reasoning: null, model: 'sonar', finishReason: 'stop', tokens: 11, usage: { prompt_tokens: 6, completion_tokens: 11, total_tokens: 17 } },
  };
})();

/** A tool-calling model (OpenAI function calling): only `tool_calls` deltas, finish `tool_calls`. */
const toolCalls: Dialect = (() => {
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created, model: MODEL };
  const c = (delta: object, finish: string | null = null) => data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const usage = { prompt_tokens: 50, completion_tokens: 17, total_tokens: 67 };
  return {
    name: 'Tool calls only',
    about: 'a stream of `tool_calls` deltas and no text: completes with an empty answer and finish_reason `tool_calls`',
    wire:
      c({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) +
      c({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }) +
      c({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) +
      c({}, 'tool_calls') +
      data({ ...base, choices: [], usage }) +
      DONE,
    expected: { content: '', reasoning: null, model: MODEL, finishReason: 'tool_calls', tokens: 17, usage },
  };
})();

/** A server that sends [DONE] and then keeps the connection open. */
const doneThenOpen: Dialect = {
  name: '[DONE] with the connection left open',
  about: 'the answer ends at [DONE]; nothing waits for the idle timeout',
  wire: openai.wire,
  after: 'hold',
  expected: openai.expected,
};

export const DIALECTS: readonly Dialect[] = [
  openrouter,
  openai,
  deepseek,
  groq,
  mistral,
  thinkingParts,
  together,
  azure,
  ollama,
  vllm,
  llamaCpp,
  perplexity,
  toolCalls,
  doneThenOpen,
];
