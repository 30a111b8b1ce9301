import type { SourceData } from '../documents/grounding';
import type { Conversation, ConversationMessage, ExportFile, ExportFormat } from './types';

/** What a reader of the file should know about an answer that did not end normally. */
function endNote(m: ConversationMessage): string | undefined {
  switch (m.finishReason) {
    case 'error':
      return `Failed: ${m.error?.error ?? 'the answer failed.'}`;
    case 'interrupted':
      return 'Interrupted: the server stopped while this answer was written.';
    case 'stopped':
      return 'Stopped before the end.';
    case null:
      return 'Still being written when exported.';
    default:
      return undefined;
  }
}

/** Where a source's passage is: its page for a PDF, its heading path when it has one. */
function sourceLine(s: SourceData): string {
  const place = [/\.pdf$/i.test(s.name) ? `page ${s.page}` : '', s.heading].filter((p) => p !== '').join(', ');
  const quote = s.snippet.replace(/\s+/g, ' ');
  return `${s.n}. ${s.name}${place === '' ? '' : ` (${place})`}: "${quote}"`;
}

/** The passages an answer's [n] citations name, numbered as the answer cites them. */
function sourcesList(sources: readonly SourceData[]): string {
  return `Sources:\n\n${sources.map(sourceLine).join('\n')}`;
}

function markdown(conversation: Conversation): string {
  const { session, messages } = conversation;
  const parts = [`# ${session.title}`, `Last changed ${session.updatedAt} · ${messages.length} messages`];
  for (const m of messages) {
    if (m.role === 'user') {
      parts.push('## You', m.content);
      continue;
    }
    parts.push(m.model ? `## Assistant (${m.model})` : '## Assistant');
    if (m.content !== '') parts.push(m.content);
    if (m.sources && m.sources.length > 0) parts.push(sourcesList(m.sources));
    const note = endNote(m);
    if (note !== undefined) parts.push(`> ${note}`);
  }
  return `${parts.join('\n\n')}\n`;
}

function json(conversation: Conversation): string {
  const { session, messages } = conversation;
  return `${JSON.stringify(
    {
      session_id: session.id,
      title: session.title,
      created_at: session.createdAt,
      updated_at: session.updatedAt,
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        html: m.html,
        reasoning: m.reasoning,
        model: m.model,
        source: m.source,
        finish_reason: m.finishReason,
        usage: m.usage,
        ttft_ms: m.ttftMs,
        error: m.error,
        sources: m.sources ?? null,
        created_at: m.createdAt,
      })),
    },
    null,
    2,
  )}\n`;
}

/**
 * The conversation as a file: Markdown with a heading per message and each answer's raw
 * markdown (how it ended noted when it did not end normally), or JSON with every field.
 */
export function exportConversation(conversation: Conversation, format: ExportFormat): ExportFile {
  const base = `conversation-${conversation.session.id}`;
  return format === 'md'
    ? { filename: `${base}.md`, contentType: 'text/markdown; charset=utf-8', body: markdown(conversation) }
    : { filename: `${base}.json`, contentType: 'application/json; charset=utf-8', body: json(conversation) };
}
