import type { StreamRegistry } from '../chat/stream-registry';
import { BadRequestError } from '../errors';
import type { ConversationStore, SessionCursor, SessionRecord } from '../stores/conversation-store';
import { exportConversation } from './export-conversation';
import { sessionNotFound } from './session-not-found';
import { oneLine } from './session-title';
import type { Conversation, ExportFile, ExportFormat, SessionPage } from './types';

export interface ConversationServiceOptions {
  store: ConversationStore;
  registry: StreamRegistry;
  now?: () => Date;
}

/** The longest title a rename may set. */
export const TITLE_MAX_LENGTH = 200;
/** Sessions per page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * Reads and manages a caller's conversations: list, read, rename, delete, export. Every call
 * names the `owner`; another owner's session is `session_not_found` (404), never a 403, so
 * ids cannot be probed. Starting answers is the ChatService's. Knows nothing of HTTP.
 */
export class ConversationService {
  private readonly now: () => string;

  constructor(private readonly options: ConversationServiceOptions) {
    const clock = options.now ?? (() => new Date());
    this.now = () => clock().toISOString();
  }

  /** `owner`'s sessions, most recently updated first, `limit` (default 50, at most 200) at a time. */
  async list(owner: string | null, page: { limit?: number | undefined; before?: SessionCursor | undefined } = {}): Promise<SessionPage> {
    const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    // One more than asked tells whether another page follows.
    const rows = await this.options.store.listSessions(owner, { limit: limit + 1, before: page.before });
    const sessions = rows.slice(0, limit);
    const last = sessions.at(-1);
    return { sessions, next: rows.length > limit && last ? { updatedAt: last.updatedAt, id: last.id } : null };
  }

  /** The session (title, times, message count). */
  async get(id: string, owner: string | null): Promise<SessionRecord> {
    const session = await this.options.store.getSession(id, owner);
    if (!session) throw sessionNotFound(id);
    return session;
  }

  /** The session and all its messages, each answer still generating here with its live stream id. */
  async conversation(id: string, owner: string | null): Promise<Conversation> {
    const { store, registry } = this.options;
    const [session, messages] = await Promise.all([store.getSession(id, owner), store.listMessages(id, owner)]);
    if (!session || !messages) throw sessionNotFound(id);
    return {
      session,
      messages: messages.map((m) => {
        const live = m.role === 'assistant' && m.finishReason === null ? registry.get(m.id) : undefined;
        return { ...m, streamId: live && !live.ended && live.owner === owner ? live.id : null };
      }),
    };
  }

  /** Sets the title (trimmed, 1 to 200 characters) and returns the session. */
  async rename(id: string, owner: string | null, title: string): Promise<SessionRecord> {
    const trimmed = oneLine(title);
    if (trimmed === '' || trimmed.length > TITLE_MAX_LENGTH) {
      throw new BadRequestError(`"title" must be 1 to ${TITLE_MAX_LENGTH} characters of text.`, 'invalid_title');
    }
    const session = await this.options.store.renameSession(id, owner, trimmed, this.now());
    if (!session) throw sessionNotFound(id);
    return session;
  }

  /** Stops the session's answers still generating and deletes it with every message. */
  async delete(id: string, owner: string | null): Promise<void> {
    const messages = await this.options.store.listMessages(id, owner);
    if (!messages) throw sessionNotFound(id);
    for (const m of messages) if (m.finishReason === null) this.options.registry.get(m.id)?.stop();
    if (!(await this.options.store.deleteSession(id, owner))) throw sessionNotFound(id);
  }

  /** The conversation as a Markdown or JSON file. */
  async export(id: string, owner: string | null, format: ExportFormat): Promise<ExportFile> {
    return exportConversation(await this.conversation(id, owner), format);
  }
}
