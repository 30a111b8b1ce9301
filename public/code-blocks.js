// Gives each code block of an answer a bar with its language and a Copy button. The server's
// sanitized HTML only has <pre><code class="language-x">, and the live tail is re-rendered
// many times a second, so this watches the conversation rather than hooking each swap.
(() => {
  const messages = document.getElementById('messages');
  if (!messages) return;
  const LANGUAGE = /(?:^|\s)language-([\w+#.-]+)/;

  function enhance(pre) {
    pre.dataset.enhanced = 'true';
    const code = pre.querySelector('code');
    const language = (code && code.className.match(LANGUAGE)?.[1]) || '';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const label = document.createElement('span');
    label.className = 'code-lang';
    label.textContent = language || 'text';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'code-copy';
    copy.textContent = 'Copy';
    bar.append(label, copy);
    const block = document.createElement('div');
    block.className = 'code-block';
    pre.before(block);
    block.append(bar, pre);
  }

  function enhanceWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches('.md pre:not([data-enhanced])')) enhance(node);
    for (const pre of node.querySelectorAll('.md pre:not([data-enhanced])')) enhance(pre);
  }

  new MutationObserver((mutations) => {
    for (const mutation of mutations) mutation.addedNodes.forEach(enhanceWithin);
  }).observe(messages, { childList: true, subtree: true });
  enhanceWithin(messages);

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /**
   * Where a press on Copy began, as the slot and the block's place in it. A block still streaming
   * is rebuilt under the pointer many times a second, so by the release its button is another
   * element and no click may follow; the block at the same place is the same block. Presses copy
   * on release, keys (Enter, Space) on their click.
   */
  let pressed = null;

  function blockPlace(copy) {
    const slot = copy.closest('[data-slot]');
    const block = copy.closest('.code-block');
    if (!slot || !block) return null;
    return { slot, index: [...slot.querySelectorAll('.code-block')].indexOf(block) };
  }

  const copyButton = (event) => (event.target instanceof Element ? event.target.closest('.code-copy') : null);

  document.addEventListener('pointerdown', (event) => {
    const copy = copyButton(event);
    pressed = copy ? blockPlace(copy) : null;
  });

  document.addEventListener('pointerup', (event) => {
    const place = pressed;
    pressed = null;
    // Released off any Copy button: the press was taken back.
    if (!place || !copyButton(event)) return;
    const copy = place.slot.querySelectorAll('.code-block')[place.index]?.querySelector('.code-copy');
    if (copy) void copyBlock(copy);
  });

  document.addEventListener('click', (event) => {
    const copy = copyButton(event);
    // detail 0: a click from the keyboard; a pointer's was handled on release.
    if (copy && event.detail === 0) void copyBlock(copy);
  });

  async function copyBlock(copy) {
    const pre = copy.closest('.code-block')?.querySelector('pre');
    if (!pre) return;
    // What the block shows at the click, even if it goes on growing after.
    const code = pre.querySelector('code') ?? pre;
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      copy.textContent = 'Copied';
    } catch {
      // No clipboard permission (e.g. plain http on another host): let the reader copy by hand.
      selectText(code);
      copy.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => {
      copy.textContent = 'Copy';
    }, 1500);
  }
})();
