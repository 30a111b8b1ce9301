/** The page's URLs, in one place for the routes, the views and the HTML stream. */
export const PAGE_PATH = '/ai-demo';
export const MESSAGES_PATH = '/ai-demo/messages';
export const RETRY_PATH = '/ai-demo/streams/:id/retry';

export function retryUrl(streamId: string): string {
  return `/ai-demo/streams/${encodeURIComponent(streamId)}/retry`;
}

/** The page URL that shows this answer again after a reload. */
export function pageUrlFor(streamId: string): string {
  return `${PAGE_PATH}?stream=${encodeURIComponent(streamId)}`;
}

/** The answer's events as HTML fragments, from the start. */
export function htmlStreamUrl(streamId: string): string {
  return `/api/chat/streams/${encodeURIComponent(streamId)}?format=html`;
}

/** Where the sign-in form sends a pasted token (when AUTH_MODE is on). */
export const SIGN_IN_PATH = '/ai-demo/sign-in';
