// The documents panel of /ai-demo: lists the visitor's documents (GET /api/documents), uploads
// files picked or dropped anywhere on the page (POST /api/documents, one file a request so each
// has its own progress and its own error), shows each upload's progress and then its indexing,
// and deletes one after an inline confirmation. Every string from the server goes in as text.
(() => {
  const API = '/api/documents';
  /** The multipart field of each file (the server takes any name; docs/documents.md). */
  const FIELD = 'file';
  const TOGGLE_KEY = 'ai-demo:use-documents';
  const UNREACHABLE = 'Could not reach the server. Check your connection and try again.';
  /** The server's sniffed types (docs/documents.md), as the panel names them. */
  const TYPE_LABELS = { pdf: 'PDF', txt: 'Text', md: 'Markdown', html: 'HTML' };

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  function formatBytes(bytes) {
    if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
    if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
    return plural(bytes, 'byte');
  }

  /** "PDF · 3 pages · 12 passages · 240 KB". */
  function describe(doc) {
    const parts = [TYPE_LABELS[doc.type] ?? 'File'];
    // Only a PDF has pages; the other types are one page 1 and the count would say nothing.
    if (doc.type === 'pdf' && typeof doc.pages === 'number') parts.push(plural(doc.pages, 'page'));
    if (typeof doc.chunks === 'number') parts.push(plural(doc.chunks, 'passage'));
    if (typeof doc.size === 'number') parts.push(formatBytes(doc.size));
    return parts.join(' · ');
  }

  /** A JSON error's sentence, or one made from the status. */
  async function problemOf(response, fallback) {
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string') return body.error;
    } catch {
      // Not JSON: say what we know.
    }
    return `${fallback} (HTTP ${response.status}).`;
  }

  function start() {
    const panel = document.getElementById('documents-panel');
    if (!panel) return;
    const list = document.getElementById('documents');
    const empty = document.getElementById('documents-empty');
    const picker = document.getElementById('document-files');
    const overlay = document.getElementById('drop-overlay');
    const toggle = document.getElementById('use-documents');

    /** The rows of documents the server holds, by id. */
    const rows = new Map();

    const showEmpty = () => {
      empty.hidden = list.children.length > 0;
    };

    /** One row: the file's name, a line saying where it stands, a progress bar while it works, its actions. */
    function row(name) {
      const li = el('li', 'document');
      const body = el('div', 'document__body');
      const title = el('span', 'document__name', name);
      title.title = name;
      const meta = el('span', 'document__meta', '');
      const progress = el('progress', 'document__progress');
      progress.max = 100;
      progress.hidden = true;
      progress.setAttribute('aria-label', `Progress of ${name}`);
      body.append(title, meta, progress);
      const actions = el('div', 'document__actions');
      li.append(body, actions);
      return {
        li,
        meta,
        actions,
        /** `percent` undefined: a bar that says "working" without a figure. */
        working(text, percent) {
          li.dataset.state = 'working';
          meta.textContent = text;
          progress.hidden = false;
          if (percent === undefined) progress.removeAttribute('value');
          else progress.value = percent;
        },
        done(text, state) {
          li.dataset.state = state;
          meta.textContent = text;
          progress.hidden = true;
        },
      };
    }

    function dismissButton(view, name) {
      const dismiss = el('button', 'icon-btn document__dismiss', '×');
      dismiss.type = 'button';
      dismiss.setAttribute('aria-label', `Dismiss the error about ${name}`);
      dismiss.addEventListener('click', () => {
        view.li.remove();
        showEmpty();
      });
      view.actions.replaceChildren(dismiss);
    }

    /** Delete, then "Delete for good?" with Delete and Keep. */
    function deleteActions(view, doc) {
      const ask = el('button', 'action action--danger document__delete', 'Delete');
      ask.type = 'button';
      ask.setAttribute('aria-label', `Delete ${doc.name}`);
      ask.addEventListener('click', () => {
        const confirm = el('div', 'document__confirm');
        confirm.setAttribute('role', 'alertdialog');
        confirm.setAttribute('aria-label', `Delete ${doc.name}?`);
        const sure = el('button', 'btn btn--danger btn--small', 'Delete');
        sure.type = 'button';
        const keep = el('button', 'btn btn--secondary btn--small', 'Keep');
        keep.type = 'button';
        keep.addEventListener('click', () => {
          view.actions.replaceChildren(ask);
          ask.focus();
        });
        sure.addEventListener('click', () => void remove(view, doc, sure));
        confirm.append(el('span', 'document__confirm-text', 'Delete for good?'), sure, keep);
        view.actions.replaceChildren(confirm);
        keep.focus();
      });
      view.actions.replaceChildren(ask);
    }

    async function remove(view, doc, button) {
      button.disabled = true;
      let response;
      try {
        response = await fetch(`${API}/${encodeURIComponent(doc.id)}`, { method: 'DELETE' });
      } catch {
        view.done(UNREACHABLE, 'failed');
        deleteActions(view, doc);
        return;
      }
      // Gone already is as good as deleted.
      if (response.ok || response.status === 404) {
        rows.delete(doc.id);
        view.li.remove();
        showEmpty();
        return;
      }
      view.done(await problemOf(response, `Could not delete ${doc.name}`), 'failed');
      deleteActions(view, doc);
    }

    /** Shows a document the server holds (indexed before it was listed), in `view`: a new row unless given. */
    function show(doc, view = row(doc.name)) {
      view.li.dataset.id = doc.id;
      rows.set(doc.id, view);
      view.done(describe(doc), 'ready');
      deleteActions(view, doc);
      if (!view.li.isConnected) list.prepend(view.li);
      showEmpty();
      return view;
    }

    async function refresh() {
      let response;
      try {
        response = await fetch(API);
      } catch {
        return;
      }
      if (!response.ok) return;
      const body = await response.json();
      const documents = body.documents ?? [];
      // The list comes newest first; each row is put on top, so go from the oldest. A file added
      // before the list came is shown already, and an upload still under way keeps its row.
      for (const doc of [...documents].reverse()) if (!rows.has(doc.id)) show(doc);
      showEmpty();
    }

    /** POSTs one file with the upload's progress; resolves with the status and the parsed body. */
    function send(file, view) {
      return new Promise((resolve) => {
        const form = new FormData();
        form.append(FIELD, file, file.name);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', API);
        xhr.responseType = 'json';
        xhr.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable) view.working(`Uploading… ${Math.round((event.loaded / event.total) * 100)}%`, (event.loaded / event.total) * 100);
        });
        // All sent: the server reads and indexes it before it answers.
        xhr.upload.addEventListener('load', () => view.working('Reading and indexing…'));
        xhr.addEventListener('load', () => resolve({ status: xhr.status, body: xhr.response }));
        xhr.addEventListener('error', () => resolve({ status: 0, body: null }));
        xhr.send(form);
      });
    }

    async function upload(file) {
      const view = row(file.name);
      view.working('Uploading… 0%', 0);
      list.prepend(view.li);
      showEmpty();
      const { status, body } = await send(file, view);
      if (status >= 200 && status < 300) {
        const doc = body?.documents?.[0];
        if (doc && typeof doc.id === 'string') {
          show(doc, view);
          return true;
        }
      }
      const problem =
        status === 0
          ? UNREACHABLE
          : body && typeof body.error === 'string'
            ? body.error
            : `Could not add ${file.name} (HTTP ${status}).`;
      view.done(problem, 'failed');
      dismissButton(view, file.name);
      return false;
    }

    async function uploadAll(files) {
      let added = 0;
      // One after the other: the server's limits (count, size) then apply in the order given.
      for (const file of files) if (await upload(file)) added += 1;
      // Someone who just added a document means to ask about it.
      if (added > 0 && toggle && !toggle.checked) {
        toggle.checked = true;
        toggle.dispatchEvent(new Event('change'));
      }
    }

    picker.addEventListener('change', () => {
      const files = [...picker.files];
      picker.value = '';
      void uploadAll(files);
    });

    // Files dragged over any part of the page may be dropped there.
    const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    let depth = 0;
    window.addEventListener('dragenter', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      overlay.hidden = false;
    });
    window.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('dragleave', (event) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    window.addEventListener('drop', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      overlay.hidden = true;
      void uploadAll([...event.dataTransfer.files]);
    });

    if (toggle) {
      try {
        toggle.checked = localStorage.getItem(TOGGLE_KEY) === '1';
      } catch {
        // Storage off: the toggle starts off.
      }
      toggle.addEventListener('change', () => {
        try {
          localStorage.setItem(TOGGLE_KEY, toggle.checked ? '1' : '0');
        } catch {
          // Storage off: the choice lasts as long as the page.
        }
      });
    }

    void refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
