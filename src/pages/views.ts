import path from 'node:path';
import { Eta } from 'eta';
import { STREAM_END_EVENT } from './answer-contract';
import { DOCUMENT_ACCEPT, formatBytes } from './document-limits';
import {
  MESSAGES_PATH,
  PAGE_PATH,
  conversationUrl,
  deleteUrl,
  editUrl,
  exportUrl,
  htmlStreamUrl,
  renameUrl,
  retryUrl,
} from './page-paths';
import type { ConversationHeader, SidebarItem, TurnView } from './view-models';

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
  /** The visitor's conversations, newest first. */
  sidebar: readonly SidebarItem[];
  /** The conversation on screen; none on a new chat. */
  conversation?: ConversationHeader | undefined;
  /** Its history, oldest first. */
  turns?: readonly TurnView[] | undefined;
  /** The answer to show again, after a reload mid-answer of a `?stream=` link. */
  exchange?: ExchangeModel | undefined;
  /** A sentence for the reader, e.g. that the answer in the URL expired. */
  notice?: string | undefined;
  /** The largest document one may upload (DOCUMENT_MAX_BYTES), stated in the documents panel. */
  documentMaxBytes?: number | undefined;
}

export interface ExchangeModel {
  streamId: string;
  prompt: string;
  sessionId: string;
  /** The question's stored id, which its Edit names; without one the question cannot be edited. */
  userMessageId?: string | undefined;
}

/** What changes around the conversation when a message starts a new one. */
export interface NewConversation {
  header: ConversationHeader;
  sidebar: readonly SidebarItem[];
}

export interface FormErrorModel {
  message: string;
  retryable: boolean;
}

export interface Views {
  page(model: PageModel): string;
  /** The question and an answer bound to its HTML stream, plus a cleared form error. */
  exchange(model: ExchangeModel, started?: NewConversation): string;
  /** An answer alone, bound to its HTML stream, plus a cleared form error: what Retry and Regenerate put in place. */
  answer(model: ExchangeModel): string;
  /** The question and its answer as one turn, without the form error: what an edit puts in place. */
  turn(model: ExchangeModel): string;
  /** The conversation's title and actions, and the sidebar that lists it under its new title. */
  renamed(header: ConversationHeader, sidebar: readonly SidebarItem[]): string;
  formError(model: FormErrorModel): string;
}

function liveAnswerData(streamId: string) {
  return { streamId, streamUrl: htmlStreamUrl(streamId), retryUrl: retryUrl(streamId), endEvent: STREAM_END_EVENT };
}

function headerData(header: ConversationHeader) {
  return {
    ...header,
    renameUrl: renameUrl(header.id),
    deleteUrl: deleteUrl(header.id),
    exportMdUrl: exportUrl(header.id, 'md'),
    exportJsonUrl: exportUrl(header.id, 'json'),
  };
}

function sidebarData(items: readonly SidebarItem[]) {
  return { items: items.map((item) => ({ ...item, url: conversationUrl(item.id) })) };
}

/**
 * The page's templates (Eta, escaping every `<%= %>` value). `cache` keeps compiled templates;
 * turn it off in development so edits show on reload.
 */
export function createViews(options: { cache: boolean; maxMessageChars: number }): Views {
  const eta = new Eta({ views: VIEWS_DIR, cache: options.cache, autoEscape: true });
  const { maxMessageChars } = options;

  function turnData(turn: TurnView) {
    const answer = turn.answer;
    return {
      user: turn.user,
      editUrl: editUrl(turn.sessionId, turn.user.id),
      maxMessageChars,
      live: answer?.kind === 'live' ? liveAnswerData(answer.streamId) : undefined,
      stored: answer?.kind === 'stored' ? answer : undefined,
    };
  }

  function exchangeTurn(model: ExchangeModel) {
    return {
      ...turnData({
        sessionId: model.sessionId,
        user: { id: model.userMessageId ?? '', content: model.prompt },
        answer: { kind: 'live', streamId: model.streamId, sessionId: model.sessionId },
      }),
      editable: model.userMessageId !== undefined,
    };
  }

  const clearedFormError = () => eta.render('partials/form-error', { message: '' });
  const partial = (target: string, swap: string, content: string) =>
    `<hx-partial hx-target="${target}" hx-swap="${swap}">${content}</hx-partial>`;
  const sidebarPartial = (items: readonly SidebarItem[]) =>
    partial('#conversations', 'innerHTML', eta.render('partials/sidebar-items', sidebarData(items)));

  return {
    page: (model) =>
      eta.render('ai-demo', {
        ...model,
        pagePath: PAGE_PATH,
        messagesPath: MESSAGES_PATH,
        sidebar: sidebarData(model.sidebar).items,
        conversation: model.conversation && headerData(model.conversation),
        turns: (model.turns ?? []).map((turn) => ({ ...turnData(turn), editable: true })),
        exchange: model.exchange && exchangeTurn(model.exchange),
        documentAccept: DOCUMENT_ACCEPT,
        documentMaxBytes: model.documentMaxBytes === undefined ? undefined : formatBytes(model.documentMaxBytes),
      }),
    exchange: (model, started) =>
      eta.render('partials/turn', exchangeTurn(model)) +
      clearedFormError() +
      (started
        ? partial('#topbar-heading', 'innerHTML', eta.render('partials/conversation-header', headerData(started.header))) +
          partial('#session-id', 'outerHTML', eta.render('partials/session-field', { sessionId: started.header.id })) +
          sidebarPartial(started.sidebar)
        : ''),
    answer: (model) => eta.render('partials/answer', liveAnswerData(model.streamId)) + clearedFormError(),
    turn: (model) => eta.render('partials/turn', exchangeTurn(model)) + clearedFormError(),
    renamed: (header, sidebar) =>
      eta.render('partials/conversation-header', headerData(header)) + sidebarPartial(sidebar),
    formError: (model) => eta.render('partials/form-error', model),
  };
}
