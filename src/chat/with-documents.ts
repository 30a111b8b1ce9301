import type { DocumentService } from '../documents/document-service';
import { searchQuery } from '../documents/retrieval/search-query';
import type { SharedSearch } from '../documents/shared-search';
import type { DocumentScope } from '../documents/types';
import { plural } from '../util/plural';
import type { DeltaItem } from '../providers/types';
import { HandOver, type Rest } from './hand-over';
import type { AnswerDelta, SourcedDelta } from './with-fallback';

export interface GroundingRequest {
  documents: DocumentService;
  owner: string | null;
  scope: DocumentScope;
  message: string;
  /** The session's previous question, for a follow-up that leans on it. */
  previousQuestion: string | undefined;
  /** Shares the search with other answers to the same question (a compare's sides). */
  shared?: SharedSearch | undefined;
}

/**
 * A grounded answer: the stages of the search as they happen (`preparing_query`, `searching`,
 * `selecting`, each with its real figures), the passages chosen (`sources`, possibly none), then
 * the model's answer to a prompt that holds them. Nothing matching is said in the `selecting`
 * stage, and the model is then asked without sources.
 */
export function withDocuments(
  request: GroundingRequest,
  answer: (groundingPrompt: string) => AsyncIterable<DeltaItem<SourcedDelta>>,
  signal: AbortSignal,
): AsyncIterableIterator<DeltaItem<AnswerDelta>> {
  return new HandOver(searchThenAnswer(request, answer, signal));
}

/** The search's stages and sources; then the answer's own iterator streams the rest (see `HandOver`). */
async function* searchThenAnswer(
  request: GroundingRequest,
  answer: (groundingPrompt: string) => AsyncIterable<DeltaItem<SourcedDelta>>,
  signal: AbortSignal,
): AsyncGenerator<DeltaItem<AnswerDelta>, Rest<DeltaItem<AnswerDelta>>> {
  const { documents, owner, scope } = request;
  const query = searchQuery(request.message, request.previousQuestion);
  yield { type: 'progress', stage: 'preparing_query', message: 'Preparing search query…', rewritten: query.rewritten };
  const { shared } = request;
  shared?.join(signal);
  const counting = () => documents.count(owner, scope);
  const count = await (shared ? shared.count(counting) : counting());
  yield {
    type: 'progress',
    stage: 'searching',
    message: `Searching ${plural(count, 'document', 'documents')}…`,
    documents: count,
  };
  const searching = (cancel: AbortSignal) => documents.search(owner, scope, query, cancel);
  const hits = count === 0 ? [] : await (shared ? shared.hits(searching) : searching(signal));
  const grounding = documents.ground(hits);
  const chosen = grounding.sources.length;
  yield {
    type: 'progress',
    stage: 'selecting',
    message:
      chosen === 0
        ? count === 0
          ? 'You have no documents to search; answering without sources'
          : `No passage in your ${plural(count, 'document', 'documents')} matches; answering without sources`
        : `Selected ${plural(chosen, 'passage', 'passages')} from ${plural(grounding.documents, 'document', 'documents')}`,
    passages: chosen,
    documents: grounding.documents,
  };
  yield { type: 'sources', sources: grounding.sources };
  return answer(grounding.prompt)[Symbol.asyncIterator]();
}
