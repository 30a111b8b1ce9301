/** The page's URLs, in one place for the routes, the views and the HTML stream. */
export const PAGE_PATH = '/ai-demo';
export const MESSAGES_PATH = '/ai-demo/messages';
export const RETRY_PATH = '/ai-demo/streams/:id/retry';
export const CONVERSATION_PATH = '/ai-demo/c/:sessionId';
export const REGENERATE_PATH = '/ai-demo/c/:sessionId/regenerate';
export const EDIT_PATH = '/ai-demo/c/:sessionId/messages/:messageId/edit';
export const RENAME_PATH = '/ai-demo/c/:sessionId/rename';
export const DELETE_PATH = '/ai-demo/c/:sessionId/delete';

const seg = encodeURIComponent;

export function retryUrl(streamId: string): string {
  return `/ai-demo/streams/${seg(streamId)}/retry`;
}

/** The page URL that shows this answer again after a reload. */
export function pageUrlFor(streamId: string): string {
  return `${PAGE_PATH}?stream=${seg(streamId)}`;
}

/** The answer's events as HTML fragments, from the start. */
export function htmlStreamUrl(streamId: string): string {
  return `/api/chat/streams/${seg(streamId)}?format=html`;
}

/** The conversation's own page: its whole history, rendered on the server. */
export function conversationUrl(sessionId: string): string {
  return `/ai-demo/c/${seg(sessionId)}`;
}

/** Names the answer to replace, so that a stale page cannot replace a newer one (409 instead). */
export function regenerateUrl(sessionId: string, answerId: string): string {
  return `${conversationUrl(sessionId)}/regenerate?answer=${seg(answerId)}`;
}

export function editUrl(sessionId: string, messageId: string): string {
  return `${conversationUrl(sessionId)}/messages/${seg(messageId)}/edit`;
}

export function renameUrl(sessionId: string): string {
  return `${conversationUrl(sessionId)}/rename`;
}

export function deleteUrl(sessionId: string): string {
  return `${conversationUrl(sessionId)}/delete`;
}

/** The session API's export (docs/protocol.md), as a download. */
export function exportUrl(sessionId: string, format: 'md' | 'json'): string {
  return `/api/chat/sessions/${seg(sessionId)}/export?format=${format}`;
}

/** Where the sign-in form sends a pasted token (when AUTH_MODE is on). */
export const SIGN_IN_PATH = '/ai-demo/sign-in';
