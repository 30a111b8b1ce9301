// Compare mode of /ai-demo: with the toggle on, the composer's question goes to
// POST /api/chat/compare/stream and both answers stream side by side, each with its own status,
// stats and Stop; once both end the reader votes, and may open the stats as a small table.
// Every HTML string shown comes sanitized from the server; every other string goes in as text.
(() => {
  const SIDES = ['A', 'B'];
  const WINNERS = [
    ['A', 'A is better'],
    ['B', 'B is better'],
    ['tie', 'Tie'],
    ['both_bad', 'Both are bad'],
  ];

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  /** Splits an event stream into {event, data} frames as bytes arrive. */
  async function* sseFrames(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) };
      }
    }
  }

  /** How many compares this page has run: each one's source ids are its own. */
  let compares = 0;

  /** One column: a side's header, its streaming answer, its sources, stats and Stop. */
  function column(side, onStop) {
    // Unique on the page, for the ids of this column's sources.
    const anchor = `compare-${compares}-${side}`;
    const root = el('section', 'compare__col');
    root.dataset.side = side;
    root.setAttribute('aria-label', `Answer ${side}`);
    const header = el('header', 'msg__meta');
    header.append(el('strong', 'compare__side', side));
    const model = el('span', 'model compare__model', '');
    const status = el('span', 'status', 'Thinking…');
    status.setAttribute('role', 'status');
    header.append(model, status);
    const answer = el('div', 'md');
    const committed = el('div');
    committed.dataset.slot = 'committed';
    const tail = el('div');
    tail.dataset.slot = 'tail';
    answer.append(committed, tail);
    // The passages this side was given (side_sources), which public/citations.js links its [n] to.
    const sources = el('div');
    sources.dataset.slot = 'sources';
    const footer = el('div', 'compare__footer');
    const stop = el('button', 'btn btn--stop btn--small', 'Stop');
    stop.type = 'button';
    stop.addEventListener('click', () => {
      stop.disabled = true;
      onStop(side);
    });
    footer.append(stop);
    root.append(header, answer, sources, footer);

    let tailHtml = '';
    return {
      root,
      named(name) {
        model.textContent = name ?? 'hidden until you vote';
        model.classList.toggle('compare__model--hidden', name === null);
      },
      started(data) {
        if (data.model_name !== undefined) this.named(data.model_name);
        if (data.source === 'mock') {
          const badge = el('span', 'badge badge--mock', 'mock');
          badge.title = data.fallback_message || 'The built-in mock answers for this side.';
          model.after(badge);
        }
      },
      /** The same list as a chat answer's sources slot (src/pages/source-fragments.ts), built as text. */
      sourced(list) {
        if (list.length === 0) return;
        const section = el('section', 'sources');
        section.setAttribute('aria-label', 'Sources');
        section.append(el('h2', 'sources__title', 'Sources'));
        const items = el('ol', 'sources__list');
        for (const source of list) {
          const item = el('li', 'source');
          item.id = `source-${anchor}-${source.n}`;
          item.dataset.n = String(source.n);
          item.dataset.documentId = source.document_id;
          item.dataset.chunk = String(source.chunk);
          const details = el('details', 'source__details');
          const summary = el('summary');
          summary.append(el('span', 'source__n', `[${source.n}]`), ' ', el('span', 'source__name', source.name));
          const place = [/\.pdf$/i.test(source.name) ? `page ${source.page}` : '', source.heading].filter(Boolean).join(' · ');
          if (place !== '') summary.append(' ', el('span', 'source__place', place));
          details.append(summary, el('blockquote', 'source__passage', source.snippet));
          item.append(details);
          items.append(item);
        }
        section.append(items);
        sources.replaceChildren(section);
      },
      line(data) {
        if (data.error !== undefined) {
          status.textContent = '';
          stop.remove();
          footer.append(el('p', 'answer-error', `${data.error} (${data.code})`));
          return;
        }
        if (!data.done) {
          status.textContent = 'Responding…';
          committed.insertAdjacentHTML('beforeend', data.html.append);
          if (data.html.tail !== undefined) tailHtml = data.html.tail;
          else if (data.html.tail_edit) tailHtml = tailHtml.slice(0, data.html.tail_edit.keep) + data.html.tail_edit.add;
          if (data.html.tail !== undefined || data.html.tail_edit) tail.innerHTML = tailHtml;
          return;
        }
        status.textContent = '';
        committed.innerHTML = data.html.final;
        tail.innerHTML = '';
        stop.remove();
        const stats = el('p', 'stats');
        const parts = [
          data.finish_reason === 'stopped' ? 'stopped' : null,
          `${data.tokens} tokens`,
          `${(data.response_time_ms / 1000).toFixed(2)} s`,
          `${data.tokens_per_second} tok/s`,
          data.ttft_ms === null ? null : `first token ${Math.round(data.ttft_ms)} ms`,
        ].filter(Boolean);
        for (const part of parts) stats.append(el('span', '', part));
        footer.append(stats);
      },
      lost() {
        status.textContent = '';
        stop.remove();
      },
    };
  }

  async function showStats(container) {
    container.replaceChildren(el('p', 'stats', 'Loading stats…'));
    const response = await fetch('/api/chat/compare/stats');
    const stats = await response.json();
    const table = el('table', 'compare__stats');
    const head = el('tr');
    for (const title of ['Model', `Rating (${stats.ratings.method})`, 'Votes', 'Wins', 'Losses', 'Draws']) head.append(el('th', '', title));
    table.append(head);
    for (const m of stats.ratings.models) {
      const row = el('tr');
      for (const value of [m.model, m.rating, m.votes, m.wins, m.losses, m.draws]) row.append(el('td', '', String(value)));
      table.append(row);
    }
    container.replaceChildren(table, el('p', 'stats', `${stats.total_votes} votes in all.`));
  }

  function votePanel(compareId, columns) {
    const panel = el('div', 'compare__vote');
    panel.append(el('span', 'compare__question', 'Which answer is better?'));
    const buttons = WINNERS.map(([winner, label]) => {
      const button = el('button', 'btn btn--secondary btn--small', label);
      button.type = 'button';
      button.dataset.winner = winner;
      button.addEventListener('click', async () => {
        for (const b of buttons) b.disabled = true;
        const response = await fetch(`/api/chat/compare/${encodeURIComponent(compareId)}/vote`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ winner }),
        });
        const body = await response.json();
        if (!response.ok) {
          panel.append(el('p', 'answer-error', body.error));
          return;
        }
        for (const side of SIDES) columns[side].named(body.models[side]);
        const done = el('p', 'compare__voted', `Thanks: you voted “${label}”. A was ${body.models.A}, B was ${body.models.B}. `);
        const link = el('a', '', 'See the stats');
        link.href = '/api/chat/compare/stats';
        const table = el('div');
        link.addEventListener('click', (event) => {
          event.preventDefault();
          void showStats(table);
        });
        done.append(link);
        panel.replaceChildren(done, table);
      });
      return button;
    });
    panel.append(...buttons);
    return panel;
  }

  async function runCompare(message, blind, sessionId, messages, grounded) {
    const user = el('div', 'msg msg--user');
    user.append(el('span', 'visually-hidden', 'You said: '), el('div', 'msg__text', message));
    const article = el('article', 'compare');
    article.setAttribute('aria-label', 'Two answers to compare');
    const grid = el('div', 'compare__grid');
    article.append(grid);
    messages.append(user, article);

    let compareId;
    const stop = (side) => {
      if (!compareId) return;
      void fetch(`/api/chat/compare/${encodeURIComponent(compareId)}/stop?side=${side}`, { method: 'POST' });
    };
    compares += 1;
    const columns = { A: column('A', stop), B: column('B', stop) };
    grid.append(columns.A.root, columns.B.root);

    let response;
    try {
      response = await fetch('/api/chat/compare/stream', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        // In a conversation, both sides get its history; the compare's answers do not join it.
        // With "Use my documents", both sides are grounded on the same passages.
        body: JSON.stringify({ message, blind, ...(sessionId ? { session_id: sessionId } : {}), ...(grounded ? { documents: 'all' } : {}) }),
      });
    } catch {
      response = undefined;
    }
    if (!response || !response.ok || !response.body) {
      const body = response ? await response.json().catch(() => ({})) : {};
      for (const side of SIDES) columns[side].lost();
      article.append(el('p', 'answer-error', body.error || 'Could not reach the server. Try again.'));
      return;
    }
    compareId = response.headers.get('X-Compare-Id');
    article.dataset.compareId = compareId;
    let ended = false;
    try {
      for await (const { event, data } of sseFrames(response.body)) {
        if (event === 'start') for (const side of SIDES) columns[side].named(data.models[side]);
        else if (event === 'side_start') columns[data.model].started(data);
        else if (event === 'side_sources') columns[data.model].sourced(data.sources);
        else if (event === 'message') columns[data.model].line(data);
        else if (event === 'complete') ended = true;
      }
    } catch {
      ended = false;
    }
    if (!ended) {
      for (const side of SIDES) columns[side].lost();
      article.append(el('p', 'answer-error', 'The connection was lost before both answers ended.'));
      return;
    }
    article.append(votePanel(compareId, columns));
  }

  document.addEventListener('DOMContentLoaded', () => {
    const form = document.getElementById('composer');
    const toggle = document.getElementById('compare-mode');
    const blindOption = document.getElementById('compare-blind-option');
    const blind = document.getElementById('compare-blind');
    const input = document.getElementById('message');
    const messages = document.getElementById('messages');
    if (!form || !toggle || !input || !messages) return;
    toggle.addEventListener('change', () => {
      blindOption.hidden = !toggle.checked;
      form.classList.toggle('composer--compare', toggle.checked);
    });
    let running = false;
    // Capture: runs before htmx's own submit handler, which then never sees the event.
    document.addEventListener(
      'submit',
      (event) => {
        if (event.target !== form || !toggle.checked) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        const message = input.value.trim();
        if (running || message === '') return;
        running = true;
        input.value = '';
        const sessionId = form.elements.namedItem('session_id')?.value || '';
        const grounded = document.getElementById('use-documents')?.checked === true;
        void runCompare(message, blind.checked, sessionId, messages, grounded).finally(() => {
          running = false;
          input.focus();
        });
      },
      true,
    );
  });
})();
