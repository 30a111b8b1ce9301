// The [n] citations of /ai-demo's grounded answers become links to the numbered passages under
// the answer (its sources slot, rendered and escaped by the server). Following one opens that
// passage and brings it into view. Only numbers the answer's sources hold become links: a [7]
// the model made up stays plain text, and nothing inside code or an existing link is touched.
// The links are built as DOM nodes around the answer's own text; no HTML is parsed here.
(() => {
  const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
  // A chat answer, or one column of a compare (public/compare.js), whose slots sit in its .md.
  const ANSWER = 'article.msg--assistant, section.compare__col';
  const TEXT_SLOTS = ':scope > [data-slot=committed], :scope > [data-slot=tail], :scope > .md > [data-slot=committed], :scope > .md > [data-slot=tail]';
  const HIGHLIGHT_MS = 2000;

  /** The answer's sources by number: their list items. */
  function sourcesOf(article) {
    const known = new Map();
    for (const item of article.querySelectorAll(':scope > [data-slot=sources] li.source[data-n]')) {
      known.set(item.dataset.n, item);
    }
    return known;
  }

  function citeLink(item, text) {
    const link = document.createElement('a');
    link.className = 'cite';
    link.href = `#${item.id}`;
    link.dataset.n = item.dataset.n;
    link.textContent = text;
    const name = item.querySelector('.source__name')?.textContent ?? '';
    const place = item.querySelector('.source__place')?.textContent ?? '';
    link.title = place === '' ? name : `${name}, ${place}`;
    link.setAttribute('aria-label', `Source ${item.dataset.n}: ${link.title}`);
    return link;
  }

  /** `text` with its known citations as links, or null when it holds none. */
  function linked(text, known) {
    const out = document.createDocumentFragment();
    let last = 0;
    let any = false;
    for (const match of text.matchAll(CITATION)) {
      const numbers = match[1].split(',').map((n) => String(Number(n.trim())));
      if (!numbers.some((n) => known.has(n))) continue;
      any = true;
      out.append(text.slice(last, match.index));
      if (numbers.length === 1) {
        out.append(citeLink(known.get(numbers[0]), match[0]));
      } else {
        out.append('[');
        numbers.forEach((n, i) => {
          if (i > 0) out.append(', ');
          out.append(known.has(n) ? citeLink(known.get(n), n) : n);
        });
        out.append(']');
      }
      last = match.index + match[0].length;
    }
    if (!any) return null;
    out.append(text.slice(last));
    return out;
  }

  function linkify(article) {
    const known = sourcesOf(article);
    if (known.size === 0) return;
    for (const slot of article.querySelectorAll(TEXT_SLOTS)) {
      const walker = document.createTreeWalker(slot, NodeFilter.SHOW_TEXT);
      const texts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('a, code, pre') === null && CITATION.test(node.data)) texts.push(node);
        CITATION.lastIndex = 0;
      }
      for (const node of texts) {
        const replacement = linked(node.data, known);
        if (replacement) node.replaceWith(replacement);
      }
    }
  }

  /** What passagesOf gives for a document deleted since the answer cited it. */
  const GONE = new Map();

  /** Documents' passages by document id, fetched once each: the sources carry only a snippet. */
  const passages = new Map();

  function passagesOf(documentId) {
    if (!passages.has(documentId)) {
      const loading = fetch(`/api/documents/${encodeURIComponent(documentId)}`)
        // A stored answer can outlive its document: a 404 says it is gone, not that the network failed.
        .then((response) => (response.ok ? response.json() : response.status === 404 ? null : { chunks: [] }))
        .then((body) => (body === null ? GONE : new Map((body.chunks ?? []).map((chunk) => [String(chunk.index), chunk.text]))))
        .catch(() => {
          passages.delete(documentId);
          return new Map();
        });
      passages.set(documentId, loading);
    }
    return passages.get(documentId);
  }

  /** Puts the passage's whole text in place of its snippet (as text); the snippet stays when it cannot be had. */
  async function showWhole(item) {
    const { documentId, chunk } = item.dataset;
    const quote = item.querySelector('.source__passage');
    if (!documentId || chunk === undefined || !quote || quote.dataset.whole !== undefined) return;
    const found = await passagesOf(documentId);
    if (found === GONE) {
      if (item.querySelector('.source__gone')) return;
      const note = document.createElement('p');
      note.className = 'source__gone';
      note.textContent = 'This document has since been deleted: the passage is shown as it was quoted.';
      quote.after(note);
      return;
    }
    const text = found.get(chunk);
    if (typeof text !== 'string') return;
    quote.textContent = text;
    quote.dataset.whole = '';
  }

  /** Opens passage `item`, scrolls it into view and marks it for a moment. */
  function openPassage(item) {
    const details = item.querySelector('details');
    if (details) details.open = true;
    void showWhole(item);
    item.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    item.dataset.highlight = '';
    item.querySelector('summary')?.focus({ preventScroll: true });
    setTimeout(() => delete item.dataset.highlight, HIGHLIGHT_MS);
  }

  function start() {
    const messages = document.getElementById('messages');
    if (!messages) return;
    for (const article of messages.querySelectorAll(ANSWER)) linkify(article);

    // Answers stream in: each change to one (its text, its sources) links what it now holds.
    // Linking changes the DOM too; a second pass finds nothing left to link and changes nothing.
    new MutationObserver((records) => {
      const touched = new Set();
      for (const record of records) {
        const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
        const article = target?.closest(ANSWER);
        if (article) touched.add(article);
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          if (node.matches(ANSWER)) touched.add(node);
          for (const inner of node.querySelectorAll(ANSWER)) touched.add(inner);
        }
      }
      for (const article of touched) if (article.isConnected) linkify(article);
    }).observe(messages, { childList: true, subtree: true, characterData: true });

    // A passage opened by its own summary gets its whole text too.
    messages.addEventListener(
      'toggle',
      (event) => {
        const item = event.target.closest?.('li.source');
        if (item && event.target.open) void showWhole(item);
      },
      true,
    );

    messages.addEventListener('click', (event) => {
      const link = event.target.closest?.('a.cite[data-n]');
      if (!link) return;
      // Looked up in the link's own answer, not by id: nothing in an answer's HTML can pose as its sources.
      const article = link.closest(ANSWER);
      const item = article && sourcesOf(article).get(link.dataset.n);
      if (!item) return;
      event.preventDefault();
      openPassage(item);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
