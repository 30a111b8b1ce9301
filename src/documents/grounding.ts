import { estimateTokens } from '../conversations/estimate-tokens';
import type { PassageHit } from './types';

/** Characters of a passage shown as its source's snippet. */
export const SNIPPET_CHARS = 240;

/** One numbered source of a grounded answer, as the `sources` event carries it. */
export interface SourceData {
  /** The label the model was told to cite, `[n]`, from 1. */
  n: number;
  document_id: string;
  name: string;
  page: number;
  /** The heading path joined with " > "; "" under no heading. */
  heading: string;
  /** The passage's index in its document. */
  chunk: number;
  snippet: string;
  score: number;
}

export const CITE_INSTRUCTION =
  'Answer using the numbered sources below when they are relevant, and cite them as [1], [2] right after ' +
  'the sentence that uses them. If they do not contain the answer, say so; never cite a source that is not listed.';

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_CHARS ? flat : `${flat.slice(0, SNIPPET_CHARS - 1).trimEnd()}…`;
}

function label(n: number, hit: PassageHit): string {
  const where = [hit.documentName, hit.documentType === 'pdf' ? `page ${hit.page}` : '', hit.headingPath.join(' > ')];
  return `[${n}] ${where.filter((w) => w !== '').join(', ')}`;
}

export interface Grounding {
  sources: SourceData[];
  /** How many documents the chosen passages come from. */
  documents: number;
  /** What the system prompt gains: the instruction and the numbered passages; "" with none. */
  prompt: string;
}

/**
 * The passages an answer is grounded in: the best ones, in rank order, as many as fit in
 * `maxTokens` (estimated), at most `topK`, numbered from 1; and the text that tells the model
 * to cite them. A passage that does not fit is skipped, and a smaller one after it may still go in.
 */
export function groundingFor(hits: readonly PassageHit[], topK: number, maxTokens: number): Grounding {
  let budget = maxTokens - estimateTokens(CITE_INSTRUCTION);
  const chosen: { hit: PassageHit; block: string }[] = [];
  for (const hit of hits) {
    if (chosen.length >= topK) break;
    const block = `${label(chosen.length + 1, hit)}\n${hit.text}`;
    const cost = estimateTokens(block);
    if (cost > budget) continue;
    budget -= cost;
    chosen.push({ hit, block });
  }
  const sources = chosen.map(({ hit }, i) => ({
    n: i + 1,
    document_id: hit.documentId,
    name: hit.documentName,
    page: hit.page,
    heading: hit.headingPath.join(' > '),
    chunk: hit.index,
    snippet: snippet(hit.text),
    score: Math.round(hit.score * 1e6) / 1e6,
  }));
  const prompt = chosen.length === 0 ? '' : `${CITE_INSTRUCTION}\n\n${chosen.map((c) => c.block).join('\n\n')}`;
  return { sources, documents: new Set(sources.map((s) => s.document_id)).size, prompt };
}
