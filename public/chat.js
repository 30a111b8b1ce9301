// Alpine components of /ai-demo. The CSP build evaluates no inline JavaScript, so the state and
// its methods live here and the templates only name them.
document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine;

  /** POSTs start answers (the form, Retry); GETs are the answers' own event streams. */
  const isAnswerPost = (event) => event.detail?.ctx?.request?.method === 'POST';

  const UNREACHABLE = 'Could not reach the server, so nothing was sent. Check your connection and send again.';

  Alpine.data('chat', () => ({
    /** A question is on its way to the server. */
    pending: false,
    /** Ids of the answers still streaming. */
    live: [],
    stopping: false,
    /** Why the last send did not arrive; empty while all is well. */
    sendError: '',
    /** The text the form is sending, put back if it does not arrive. */
    sending: '',

    /** The conversation list is open as a drawer (narrow screens only). */
    drawerOpen: false,

    get busy() {
      return this.pending || this.live.length > 0;
    },

    toggleDrawer() {
      this.drawerOpen = !this.drawerOpen;
    },

    closeDrawer() {
      this.drawerOpen = false;
    },

    /** Copies an answer's markdown, which its Copy button carries. */
    async copyAnswer(event) {
      const button = event.currentTarget;
      try {
        await navigator.clipboard.writeText(button.dataset.markdown ?? '');
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Copy failed';
      }
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 1500);
    },

    onEnter(event) {
      // Shift+Enter adds a line; Enter inside an IME composition confirms the word.
      if (event.shiftKey || event.isComposing) return;
      event.preventDefault();
      // The reader may type the next question while an answer streams; only sending waits.
      if (this.busy || this.$refs.input.value.trim() === '') return;
      this.$refs.form.requestSubmit();
    },

    onEscape() {
      if (this.drawerOpen) {
        this.drawerOpen = false;
        return;
      }
      if (this.live.length > 0 && !this.stopping) void this.stop();
    },

    /** Buttons that would take the focus from the input on a click keep it where it is. */
    keepFocus(event) {
      event.preventDefault();
    },

    requestStarted(event) {
      if (!isAnswerPost(event)) return;
      this.pending = true;
      this.sendError = '';
      if (event.detail.ctx.sourceElement !== this.$refs.form) return;
      // htmx has read the form by now: the box is free for the next question at once.
      this.sending = this.$refs.input.value;
      this.$refs.input.value = '';
    },

    requestEnded(event) {
      if (!isAnswerPost(event)) return;
      const ctx = event.detail.ctx;
      const status = ctx.response?.status;
      if (status === undefined && !ctx.request?.signal?.aborted) this.sendError = UNREACHABLE;
      if (ctx.sourceElement === this.$refs.form) {
        if (status === undefined || status >= 400) this.restoreSent();
        this.sending = '';
      }
      // An accepted question's answer registers itself as live before the next tick.
      this.$nextTick(() => {
        this.pending = false;
      });
    },

    /** Puts an unsent question back, before anything typed since. */
    restoreSent() {
      const input = this.$refs.input;
      const typed = input.value;
      input.value = typed === '' ? this.sending : `${this.sending}\n${typed}`;
    },

    answerStarted(event) {
      if (!this.live.includes(event.detail.id)) this.live.push(event.detail.id);
      // The request that brought it is done, even if its end is never heard: a button that
      // replaces its own answer or turn (Retry, Regenerate, Edit) is gone from the page by then.
      this.pending = false;
    },

    answerEnded(event) {
      this.live = this.live.filter((id) => id !== event.detail.id);
      if (this.busy) return;
      this.stopping = false;
      // Only when the focus was lost (its button hid): never from where the reader is.
      this.$nextTick(() => {
        if (document.activeElement === document.body || document.activeElement === null) this.$refs.input.focus();
      });
    },

    async stop() {
      this.stopping = true;
      const stops = this.live.map((id) =>
        fetch(`/api/chat/streams/${encodeURIComponent(id)}/stop`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        }).catch(() => undefined),
      );
      // The answer ends on its own stream with a `complete`; that is what shows Send again.
      await Promise.all(stops);
    },
  }));

  /** A question; the last one can be edited and asked again. */
  Alpine.data('userMessage', () => ({
    editing: false,

    edit() {
      this.editing = true;
      this.$nextTick(() => this.$refs.editor.focus());
    },

    cancel() {
      this.editing = false;
    },
  }));

  /** The conversation's title bar: rename in place, delete after a confirmation. */
  Alpine.data('conversation', () => ({
    renaming: false,
    confirming: false,

    startRename() {
      this.renaming = true;
      this.$nextTick(() => this.$refs.title.select());
    },

    cancelRename() {
      this.renaming = false;
    },

    askDelete() {
      this.confirming = true;
      this.$nextTick(() => this.$refs.keep.focus());
    },

    cancelDelete() {
      this.confirming = false;
    },
  }));

  Alpine.data('answer', () => ({
    /** Why this answer cannot be shown any further; empty while all is well. */
    problem: '',
    over: false,
    /** The stream dropped and the SSE extension is trying to get it back. */
    reconnecting: false,

    get showsStatus() {
      return !this.over && !this.reconnecting;
    },

    init() {
      this.$dispatch('answer-started', { id: this.$root.dataset.streamId });
    },

    /** Before each connection; after the first, it is a reconnect. */
    connecting(event) {
      if (event.target === this.$root && event.detail.connection?.attempt > 0) this.reconnecting = true;
    },

    connected(event) {
      if (event.target === this.$root) this.reconnecting = false;
    },

    /** The SSE extension closed the stream: on our end event, or after giving up reconnecting. */
    closed(event) {
      if (event.target !== this.$root) return;
      this.reconnecting = false;
      if (event.detail.reason !== 'message' && !this.over) {
        this.problem = 'The connection to this answer was lost and could not be restored. Retry to ask again.';
      }
      this.finish();
    },

    /** The stream could not be opened at all. */
    failed(event) {
      // Retry buttons inside the answer send their own requests; their errors bubble up here.
      if (event.target !== this.$root || this.over) return;
      const status = event.detail.ctx?.response?.status;
      this.problem =
        status === 404
          ? 'This answer is no longer kept on the server. Retry to ask again.'
          : status === 429
            ? 'Too many tabs are watching this answer. Close one and reload.'
            : 'Could not load this answer. Retry to ask again.';
      this.finish();
    },

    finish() {
      if (this.over) return;
      this.over = true;
      this.$dispatch('answer-ended', { id: this.$root.dataset.streamId });
    },
  }));
});
