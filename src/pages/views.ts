import path from 'node:path';
import { Eta } from 'eta';
import { STREAM_END_EVENT } from './answer-contract';
import { MESSAGES_PATH, htmlStreamUrl, retryUrl } from './page-paths';

// Top-level views/: two levels up from both src/pages and dist/pages.
const VIEWS_DIR = path.resolve(__dirname, '../../views');

export interface PageModel {
  title: string;
  /** The models a visitor may pick; a picker shows when there is more than one. */
  models: readonly string[];
  selectedModel: string;
  /** True when no key is set and the mock answers everything. */
  mockMode: boolean;
  maxMessageChars: number;
  /** The answer to show again, after a reload mid-answer. */
  exchange?: ExchangeModel | undefined;
  /** A sentence for the reader, e.g. that the answer in the URL expired. */
  notice?: string | undefined;
}

export interface ExchangeModel {
  streamId: string;
  prompt: string;
}

export interface FormErrorModel {
  message: string;
  retryable: boolean;
}

export interface Views {
  page(model: PageModel): string;
  /** The question and an answer bound to its HTML stream, plus a cleared form error. */
  exchange(model: ExchangeModel): string;
  /** An answer alone, bound to its HTML stream, plus a cleared form error: what Retry puts in place of a failed one. */
  answer(model: ExchangeModel): string;
  formError(model: FormErrorModel): string;
}

function exchangeData(model: ExchangeModel) {
  return {
    ...model,
    streamUrl: htmlStreamUrl(model.streamId),
    retryUrl: retryUrl(model.streamId),
    endEvent: STREAM_END_EVENT,
  };
}

/**
 * The page's templates (Eta, escaping every `<%= %>` value). `cache` keeps compiled templates;
 * turn it off in development so edits show on reload.
 */
export function createViews(options: { cache: boolean }): Views {
  const eta = new Eta({ views: VIEWS_DIR, cache: options.cache, autoEscape: true });
  return {
    page: (model) =>
      eta.render('ai-demo', {
        ...model,
        messagesPath: MESSAGES_PATH,
        exchange: model.exchange && exchangeData(model.exchange),
      }),
    exchange: (model) =>
      eta.render('partials/exchange', exchangeData(model)) + eta.render('partials/form-error', { message: '' }),
    answer: (model) =>
      eta.render('partials/answer', exchangeData(model)) + eta.render('partials/form-error', { message: '' }),
    formError: (model) => eta.render('partials/form-error', model),
  };
}
