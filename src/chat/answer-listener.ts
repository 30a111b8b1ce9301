import type { ProviderName } from '../providers/types';
import type { ChatStream } from './chat-stream';

/**
 * Told of every answer the moment it starts, with the source asked to answer (a fallback may
 * still hand it to the mock). It follows the answer through `stream.done`; it must not subscribe
 * as a viewer, which would keep an unwatched answer alive.
 */
export type AnswerListener = (stream: ChatStream, plannedSource: ProviderName) => void;
