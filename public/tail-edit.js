// The live tail of an answer arrives as edits of the tail before it (see docs/protocol.md):
// keep its first `keep` characters, then add `add`. A growing code block then costs what it grew
// by on the wire, not its whole length at every token. Each slot keeps the tail as the string it
// was built from: what the browser would serialise back from the DOM need not be the same.
(() => {
  const tails = new WeakMap();

  class TailEdit extends HTMLElement {
    connectedCallback() {
      const slot = this.parentElement;
      if (!slot) return;
      const keep = Number(this.getAttribute('keep'));
      const add = this.getAttribute('add') ?? '';
      const tail = (tails.get(slot) ?? '').slice(0, keep) + add;
      tails.set(slot, tail);
      // The server's sanitized HTML, as htmx would have swapped it in whole.
      slot.innerHTML = tail;
    }
  }

  customElements.define('tail-edit', TailEdit);
})();
