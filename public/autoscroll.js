// Keeps the conversation scrolled to the newest text while it streams, unless the reader has
// scrolled up to read something; scrolling back to the bottom resumes following.
(() => {
  const log = document.getElementById('log');
  if (!log) return;
  let following = true;
  let lastTop = log.scrollTop;

  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 48;

  function toBottom() {
    log.scrollTop = log.scrollHeight;
    lastTop = log.scrollTop;
  }

  log.addEventListener(
    'scroll',
    () => {
      // Only a move upwards is the reader's; growth and our own scrolling only move down.
      if (log.scrollTop < lastTop - 2) following = false;
      else if (atBottom()) following = true;
      lastTop = log.scrollTop;
    },
    { passive: true },
  );

  new MutationObserver(() => {
    if (following) toBottom();
  }).observe(log, { childList: true, subtree: true, characterData: true });

  // Asking something brings the reader to the answer.
  log.addEventListener('answer-started', () => {
    following = true;
    toBottom();
  });
})();
