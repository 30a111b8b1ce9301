// The model's reasoning streams into an open "Thinking…" disclosure above its answer. When the
// answer starts, the server puts a <thought-for> in the disclosure's summary ("Thought for 12 s"):
// it closes the disclosure, so the reasoning folds away without being sent a second time.
(() => {
  class ThoughtFor extends HTMLElement {
    connectedCallback() {
      const details = this.closest('details');
      if (details) details.open = false;
    }
  }

  customElements.define('thought-for', ThoughtFor);
})();
