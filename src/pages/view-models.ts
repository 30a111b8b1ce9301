import type { SafeHtml } from './html';

/** A conversation in the sidebar. */
export interface SidebarItem {
  id: string;
  title: string;
  /** The one on screen: marked for the reader and for screen readers. */
  current: boolean;
}

/** The conversation on screen: its title and its actions' URLs. */
export interface ConversationHeader {
  id: string;
  title: string;
}

/** An answer that is still streaming: the page binds it to its HTML stream. */
export interface LiveAnswerView {
  kind: 'live';
  streamId: string;
  sessionId: string;
}

/** An answer that has ended, rendered from what is stored. */
export interface StoredAnswerView {
  kind: 'stored';
  id: string;
  sessionId: string;
  /** Who answered, as the live answer's header shows it. */
  source: SafeHtml;
  /** The model's reasoning, folded; empty without any. */
  thinking: SafeHtml;
  /** The answer's sanitized HTML. */
  html: SafeHtml;
  /** The numbered passages it cites; empty for an answer that was not grounded on documents. */
  sources: SafeHtml;
  /** The stats line and the answer's actions, or its error with a Retry. */
  footer: SafeHtml;
}

export type AnswerView = LiveAnswerView | StoredAnswerView;

/** A question and its answer (none yet when the answer was never started). */
export interface TurnView {
  sessionId: string;
  user: { id: string; content: string };
  answer?: AnswerView | undefined;
}
