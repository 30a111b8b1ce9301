import type { ChatEvent, CompleteData } from '../../src/chat/events';
import { encodeHtmlSse } from '../../src/encoders/html-sse';
import { UpstreamTimeoutError } from '../../src/errors';

const COMMITTED = 'hx-target="find :scope &gt; [data-slot=committed]"';
const TAIL = 'hx-target="find :scope &gt; [data-slot=tail]"';
const STATUS = 'hx-target="find :scope &gt; header &gt; [data-slot=status]"';
const SOURCE = 'hx-target="find :scope &gt; header &gt; [data-slot=source]"';
const FOOTER = 'hx-target="find :scope &gt; [data-slot=footer]"';
const END = 'event: stream-end\ndata: \n\n';
const THINKING = 'hx-target="find :scope &gt; [data-slot=thinking]"';
const THINKING_TEXT = 'hx-target="find :scope &gt; [data-slot=thinking] &gt; details &gt; [data-part=text]"';
const THINKING_SUMMARY = 'hx-target="find :scope &gt; [data-slot=thinking] &gt; details &gt; summary"';

function message(id: number, data: Partial<Extract<ChatEvent, { type: 'message' }>['data']>): ChatEvent {
  return { id, type: 'message', data: { content: 'x', token: 'x', count: 2, html: { append: '' }, ...data } };
}

function complete(id: number, data: Partial<CompleteData> = {}): ChatEvent {
  return {
    id,
    type: 'complete',
    data: {
      status: 'completed',
      done: true,
      id: 's1',
      session_id: 'sess',
      model: 'openai/gpt-4o-mini',
      source: 'openrouter',
      user: 'anonymous',
      finish_reason: 'stop',
      tokens: 41,
      duration: 1.52,
      tokens_per_second: 30.2,
      ttft_ms: 212.4,
      full_response: 'Hi',
      reasoning: null,
      reasoning_ms: null,
      html: '<p>Hi</p>',
      usage: null,
      timestamp: '2026-11-21T12:00:00.000Z',
      ...data,
    },
  };
}

describe('encodeHtmlSse', () => {
  test('when the openrouter start arrives, then the source slot shows the model', () => {
    const event: ChatEvent = {
      id: 0,
      type: 'start',
      data: { id: 's1', session_id: 'sess', model: 'openai/gpt-4o-mini', source: 'openrouter' },
    };

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 0\ndata: <hx-partial ${SOURCE} hx-swap="innerHTML"><span class="model">openai/gpt-4o-mini</span></hx-partial>\n\n`,
    );
  });

  test('when the mock answers, then the source slot shows the mock badge and the escaped reason', () => {
    const event: ChatEvent = {
      id: 0,
      type: 'start',
      data: {
        id: 's1',
        session_id: 'sess',
        model: 'm',
        source: 'mock',
        fallback_reason: 'no_api_key',
        fallback_message: 'No key <set> & "so" the mock answers',
      },
    };

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 0\ndata: <hx-partial ${SOURCE} hx-swap="innerHTML"><span class="badge badge--mock">mock</span>` +
        ` <span class="note">No key &lt;set&gt; &amp; &quot;so&quot; the mock answers</span></hx-partial>\n\n`,
    );
  });

  test('when the first delta arrives, then the tail is replaced and the status becomes Responding', () => {
    const event = message(1, { count: 1, html: { append: '', tail: '<p><strong>Py</strong></p>' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 1\ndata: <hx-partial ${TAIL} hx-swap="innerHTML"><tail-edit keep="0" add="&lt;p&gt;&lt;strong&gt;Py&lt;/strong&gt;&lt;/p&gt;"></tail-edit></hx-partial>` +
        `<hx-partial ${STATUS} hx-swap="innerHTML">Responding…</hx-partial>\n\n`,
    );
  });

  test('when a block is committed, then its HTML is appended and the new tail replaces the old', () => {
    const event = message(5, { html: { append: '<p>done</p>', tail: '<p>next</p>' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 5\ndata: <hx-partial ${COMMITTED} hx-swap="beforeend"><p>done</p></hx-partial>` +
        `<hx-partial ${TAIL} hx-swap="innerHTML"><tail-edit keep="0" add="&lt;p&gt;next&lt;/p&gt;"></tail-edit></hx-partial>\n\n`,
    );
  });

  test('when the tail is an edit of the last one, then a tail-edit carries it, its HTML in an attribute across data lines', () => {
    const event = message(5, { html: { append: '', tail_edit: { keep: 40, add: 'x = "1" & y;\n</code></pre>\n' } } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 5\ndata: <hx-partial ${TAIL} hx-swap="innerHTML"><tail-edit keep="40" add="x = &quot;1&quot; &amp; y;\n` +
        `data: &lt;/code&gt;&lt;/pre&gt;\ndata: "></tail-edit></hx-partial>\n\n`,
    );
  });

  test('when the tail was not re-rendered, then the tail stands and only the committed part grows', () => {
    const event = message(6, { html: { append: '<p>a</p>' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 6\ndata: <hx-partial ${COMMITTED} hx-swap="beforeend"><p>a</p></hx-partial>\n\n`,
    );
  });

  test('when the tail became empty, then it is cleared', () => {
    const event = message(7, { html: { append: '<p>a</p>', tail: '' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 7\ndata: <hx-partial ${COMMITTED} hx-swap="beforeend"><p>a</p></hx-partial>` +
        `<hx-partial ${TAIL} hx-swap="innerHTML"><tail-edit keep="0" add=""></tail-edit></hx-partial>\n\n`,
    );
  });

  test('when a delta changes nothing on screen, then only its id is sent', () => {
    expect(encodeHtmlSse(message(8, {}), 's1')).toBe('id: 8\n\n');
  });

  test('when a catch-up message resets, then committed and tail are replaced and the status is Responding', () => {
    const event = message(40, { reset: true, count: 39, html: { append: '<p>all</p>', tail: '<p>t</p>' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 40\ndata: <hx-partial ${COMMITTED} hx-swap="innerHTML"><p>all</p></hx-partial>` +
        `<hx-partial ${TAIL} hx-swap="innerHTML"><tail-edit keep="0" add="&lt;p&gt;t&lt;/p&gt;"></tail-edit></hx-partial>` +
        `<hx-partial ${STATUS} hx-swap="innerHTML">Responding…</hx-partial>\n\n`,
    );
  });

  test('when the HTML spans lines, then each line is its own data line', () => {
    const event = message(9, { html: { append: '<pre><code>a\nb\n</code></pre>' } });

    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 9\ndata: <hx-partial ${COMMITTED} hx-swap="beforeend"><pre><code>a\ndata: b\ndata: </code></pre></hx-partial>\n\n`,
    );
  });

  test('when the answer completes, then the final HTML replaces it, the footer shows the stats and the stream ends', () => {
    expect(encodeHtmlSse(complete(42), 's1')).toBe(
      `id: 42\ndata: <hx-partial ${COMMITTED} hx-swap="innerHTML"><p>Hi</p></hx-partial>` +
        `<hx-partial ${TAIL} hx-swap="innerHTML"></hx-partial>` +
        `<hx-partial ${STATUS} hx-swap="innerHTML"></hx-partial>` +
        `<hx-partial ${FOOTER} hx-swap="innerHTML"><p class="stats"><span>41 tokens</span>` +
        `<span>30.2 <abbr title="tokens per second">tok/s</abbr></span><span>212 ms to first token</span>` +
        `<span>openrouter · openai/gpt-4o-mini</span></p>` +
        `<div class="answer-actions"><button type="button" class="action action--copy" data-markdown="Hi" x-on:click="copyAnswer">Copy</button>` +
        `<button type="button" class="action action--regenerate" hx-post="/ai-demo/c/sess/regenerate?answer=s1" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Regenerate</button></div>` +
        `</hx-partial>\n\n` +
        END,
    );
  });

  test('when the markdown of the answer holds markup and quotes, then its Copy button carries it escaped, whole', () => {
    const frame = encodeHtmlSse(complete(5, { full_response: 'a "q" <b>&\nline 2', session_id: 's/"x' }), 's1');

    expect(frame).toContain('data-markdown="a &quot;q&quot; &lt;b&gt;&amp;\ndata: line 2"');
    expect(frame).toContain('hx-post="/ai-demo/c/s%2F%22x/regenerate?answer=s1"');
  });

  test('when the mock answered and was stopped, then the footer shows the mock badge and the stop', () => {
    const frame = encodeHtmlSse(complete(3, { source: 'mock', finish_reason: 'stopped', tokens: 1 }), 's1');

    expect(frame).toContain(
      `<p class="stats"><span class="badge badge--mock">mock</span><span class="badge badge--note">Stopped</span><span>1 token</span>`,
    );
  });

  test('when the server shut down mid-answer, then the footer says it is restarting and offers to ask the question again', () => {
    const frame = encodeHtmlSse(complete(5, { finish_reason: 'shutdown', tokens: 2 }), 's1', 'Why "<b>"?');

    expect(frame).toContain(
      '<span class="badge badge--note">Cut short: the server is restarting</span><span>2 tokens</span>',
    );
    expect(frame).toContain(
      '</p><form class="answer-retry" hx-post="/ai-demo/messages" hx-target="#messages" hx-swap="beforeend">' +
        '<input type="hidden" name="message" value="Why &quot;&lt;b&gt;&quot;?">' +
        '<input type="hidden" name="model" value="openai/gpt-4o-mini">' +
        // Then the answer's own actions (Copy, Regenerate), as under every finished answer.
        '<button type="submit" class="btn btn--secondary">Retry</button></form><div class="answer-actions">',
    );
  });

  test('when an answer ends normally, then the footer offers no retry', () => {
    expect(encodeHtmlSse(complete(5), 's1', 'Hi')).not.toContain('answer-retry');
  });

  test('when no token came, then the footer leaves out speed and time to first token', () => {
    const frame = encodeHtmlSse(complete(1, { tokens: 0, tokens_per_second: 0, ttft_ms: null, html: '' }), 's1');

    expect(frame).toContain(`<p class="stats"><span>0 tokens</span><span>openrouter · openai/gpt-4o-mini</span></p>`);
  });

  test('when a model name holds markup, then the footer escapes it', () => {
    const frame = encodeHtmlSse(complete(1, { model: '<img src=x onerror=alert(1)>' }), 's1');

    expect(frame).toContain('<span>openrouter · &lt;img src=x onerror=alert(1)&gt;</span>');
    expect(frame).not.toContain('<img');
  });

  test('when the answer fails, then a readable message and a Retry button replace the status and the stream ends', () => {
    const cause = new UpstreamTimeoutError('The model stopped <sending> tokens. Try again.', { code: 'upstream_idle_timeout' });
    const event: ChatEvent = {
      id: 7,
      type: 'error',
      data: { error: cause.message, code: cause.code, retryable: true },
      cause,
    };

    expect(encodeHtmlSse(event, 'a/b"c')).toBe(
      `id: 7\ndata: <hx-partial ${STATUS} hx-swap="innerHTML"></hx-partial>` +
        `<hx-partial ${FOOTER} hx-swap="innerHTML"><div class="answer-error" role="alert">` +
        `<p>The model stopped &lt;sending&gt; tokens. Try again.</p>` +
        `<button type="button" class="btn btn--secondary" hx-post="/ai-demo/streams/a%2Fb%22c/retry" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Retry</button>` +
        `</div></hx-partial>\n\n` +
        END,
    );
  });

  test('when the same event is encoded twice for one answer, then the bytes are the same', () => {
    const event = complete(2);

    expect(encodeHtmlSse(event, 's1')).toBe(encodeHtmlSse(event, 's1'));
  });

  test('when the first reasoning arrives, then the thinking slot opens a "Thinking…" disclosure holding it, escaped', () => {
    const event: ChatEvent = { id: 3, type: 'reasoning', data: { content: 'Is <img src=x onerror=alert(1)> safe?', count: 1 } };
    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 3\ndata: <hx-partial ${THINKING} hx-swap="innerHTML"><details class="thinking" open><summary>Thinking…</summary>` +
        '<div class="thinking__text" data-part="text">Is &lt;img src=x onerror=alert(1)&gt; safe?</div></details></hx-partial>\n\n',
    );
  });

  test('when more reasoning arrives, then it is appended to the disclosure as escaped text', () => {
    const event: ChatEvent = { id: 4, type: 'reasoning', data: { content: ' a & b\n<script>', count: 2 } };
    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 4\ndata: <hx-partial ${THINKING_TEXT} hx-swap="beforeend"> a &amp; b\ndata: &lt;script&gt;</hx-partial>\n\n`,
    );
  });

  test('when the passages of a grounded answer arrive, then the sources slot gets them numbered and escaped', () => {
    const event: ChatEvent = {
      id: 6,
      type: 'sources',
      data: {
        sources: [{ n: 1, document_id: 'd1', name: '<b>x</b>.md', page: 1, heading: 'A > B', chunk: 3, snippet: 'Leave is <25> days', score: 1.5 }],
      },
    };
    expect(encodeHtmlSse(event, 's1')).toBe(
      'id: 6\ndata: <hx-partial hx-target="find :scope &gt; [data-slot=sources]" hx-swap="innerHTML">' +
        '<section class="sources" aria-label="Sources"><h2 class="sources__title">Sources</h2><ol class="sources__list">' +
        '<li class="source" id="source-s1-1" data-n="1" data-document-id="d1" data-chunk="3"><details class="source__details">' +
        '<summary><span class="source__n">[1]</span> <span class="source__name">&lt;b&gt;x&lt;/b&gt;.md</span> <span class="source__place">A &gt; B</span></summary>' +
        '<blockquote class="source__passage">Leave is &lt;25&gt; days</blockquote></details></li></ol></section></hx-partial>\n\n',
    );
  });

  test('when no passage matched, then the sources slot is left empty', () => {
    const event: ChatEvent = { id: 6, type: 'sources', data: { sources: [] } };
    expect(encodeHtmlSse(event, 's1')).toBe('id: 6\ndata: <hx-partial hx-target="find :scope &gt; [data-slot=sources]" hx-swap="innerHTML"></hx-partial>\n\n');
  });

  test('when a progress stage begins, then the status line shows its sentence', () => {
    const event: ChatEvent = {
      id: 1,
      type: 'progress',
      data: { stage: 'retrying', message: 'Retrying in 2 s (rate limited)…', elapsed_ms: 40, attempt: 1, delay_ms: 2000, reason: 'upstream_rate_limited' },
    };
    expect(encodeHtmlSse(event, 's1')).toBe(`id: 1\ndata: <hx-partial ${STATUS} hx-swap="innerHTML">Retrying in 2 s (rate limited)…</hx-partial>\n\n`);
  });

  test('when the model turns from reasoning to its answer, then the status says so and the disclosure folds to "Thought for N s"', () => {
    const event: ChatEvent = { id: 9, type: 'progress', data: { stage: 'generating', message: 'Responding…', elapsed_ms: 12_900, reasoning_ms: 12_400 } };
    expect(encodeHtmlSse(event, 's1')).toBe(
      `id: 9\ndata: <hx-partial ${STATUS} hx-swap="innerHTML">Responding…</hx-partial>` +
        `<hx-partial ${THINKING_SUMMARY} hx-swap="innerHTML"><thought-for>Thought for 12 s</thought-for></hx-partial>\n\n`,
    );
  });

  test('when an answer ends while the model still thinks, then complete folds the disclosure with all the reasoning and how long it took', () => {
    const frame = encodeHtmlSse(complete(20, { full_response: '', html: '', finish_reason: 'stopped', reasoning: 'First <b>this</b>.', reasoning_ms: 400 }), 's1');
    expect(frame.startsWith(
      `id: 20\ndata: <hx-partial ${THINKING} hx-swap="innerHTML"><details class="thinking"><summary>Thought for less than a second</summary>` +
        `<div class="thinking__text" data-part="text">First &lt;b&gt;this&lt;/b&gt;.</div></details></hx-partial><hx-partial ${COMMITTED}`,
    )).toBe(true);
  });

  test('when an answer that had turned from reasoning to text completes, then the disclosure is left as the reader left it', () => {
    expect(encodeHtmlSse(complete(20, { reasoning: 'Thought.', reasoning_ms: 400 }), 's1')).not.toContain(THINKING);
  });
});
