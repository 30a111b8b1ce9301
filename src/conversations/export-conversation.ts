import type { Conversation, ExportFile, ExportFormat } from './types';

function markdown(conversation: Conversation): string {
  const { session, messages } = conversation;
  const parts = [`# ${session.title}`, `Last changed ${session.updatedAt} · ${messages.length} messages`];
  for (const m of messages) {
    if (m.role === 'user') {
      parts.push(`## You\n\n${m.content}`);
      continue;
    }
    const label = m.model ? `## Assistant (${m.model})` : '## Assistant';
    let body = m.content;
    if (m.finishReason === 'error') body += `${body ? '\n\n' : ''}> Failed: ${m.error?.error ?? 'the answer failed.'}`;
    else if (m.finishReason === 'interrupted') body += `${body ? '\n\n' : ''}> Interrupted: the server stopped while this answer was written.`;
    else if (m.finishReason === 'stopped') body += `${body ? '\n\n' : ''}> Stopped before the end.`;
    else if (m.finishReason === null) body += `${body ? '\n\n' : ''}> Still being written when exported.`;
    parts.push(`${label}\n\n${body}`);
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
