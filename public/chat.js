// Alpine components of /ai-demo. The CSP build evaluates no inline JavaScript, so the state and
// its methods live here and the templates only name them.
document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine;

  /** POSTs start answers (the form, Retry); GETs are the answers' own event streams. */
  const isAnswerPost = (event) => event.detail?.ctx?.request?.method === 'POST';

  Alpine.data('chat', () => ({
    /** A question is on its way to the server. */
    pending: false,
    /** Ids of the answers still streaming. */
    live: [],
    stopping: false,

    get busy() {
      return this.pending || this.live.length > 0;
    },

    onEnter(event) {
      // Shift+Enter adds a line; Enter inside an IME composition confirms the word.
      if (event.shiftKey || event.isComposing) return;
      event.preventDefault();
      if (this.busy || this.$refs.input.value.trim() === '') return;
      this.$refs.form.requestSubmit();
    },

    requestStarted(event) {
      if (!isAnswerPost(event)) return;
      this.pending = true;
      // The input is about to be disabled; keep keyboard users on the control that matters next.
      this.$nextTick(() => this.$refs.stop.focus());
    },

    requestEnded(event) {
      if (!isAnswerPost(event)) return;
      const status = event.detail.ctx.response?.status;
      const accepted = status !== undefined && status < 400;
      if (accepted && event.detail.ctx.sourceElement === this.$refs.form) this.$refs.input.value = '';
      // An accepted question's answer registers itself as live before the next tick.
      this.$nextTick(() => {
        this.pending = false;
        if (!this.busy) this.$nextTick(() => this.$refs.input.focus());
      });
    },

    answerStarted(event) {
      if (!this.live.includes(event.detail.id)) this.live.push(event.detail.id);
    },

    answerEnded(event) {
      this.live = this.live.filter((id) => id !== event.detail.id);
      if (this.busy) return;
      this.stopping = false;
      this.$nextTick(() => this.$refs.input.focus());
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
      // The answer ends on its own stream with a `complete`; that is what re-enables the form.
      await Promise.all(stops);
    },
  }));

  Alpine.data('answer', () => ({
    /** Why this answer cannot be shown any further; empty while all is well. */
    problem: '',
    over: false,

    init() {
      this.$dispatch('answer-started', { id: this.$root.dataset.streamId });
    },

    /** The SSE extension closed the stream: on our end event, or after giving up reconnecting. */
    closed(event) {
      if (event.detail.reason !== 'message') {
        this.problem = 'The connection to this answer was lost. Retry to ask again.';
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
