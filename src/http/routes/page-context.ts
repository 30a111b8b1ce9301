import type { Response } from 'express';
import type { ChatService } from '../../chat/chat-service';
import type { Config } from '../../config/config';
import type { ConversationService } from '../../conversations/conversation-service';
import type { SidebarItem } from '../../pages/view-models';
import type { Views } from '../../pages/views';

/** Everything the page routes share: the services, the views and the page's headers. */
export interface PageContext {
  config: Config;
  chat: ChatService;
  conversations: ConversationService;
  views: Views;
  headers: Readonly<Record<string, string>>;
  /** The caller's conversations for the sidebar, newest first, `current` marked. */
  sidebar(res: Response, current?: string): Promise<SidebarItem[]>;
}

