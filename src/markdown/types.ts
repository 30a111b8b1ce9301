import type { TailEdit } from './tail-edit';

export type { TailEdit } from './tail-edit';

/** Options shared by the one-shot and the streaming renderer. */
export interface MarkdownOptions {
  /**
   * Hosts whose images may be shown (exact hostname match, e.g. "i.imgur.com").
   * Defaults to `[]`: images are dropped (their alt text may stay as text).
   */
  allowedImageHosts?: readonly string[];
}

/**
 * One answer's markdown, rendered as it streams. Every string it returns is sanitized HTML
 * that stands on its own (balanced tags), so `push()` results can be appended one by one
 * (`beforeend`) and `tail()` swapped into its own element.
 */
export interface MarkdownStream {
  /**
   * Feed the next delta of the model's markdown. Returns sanitized HTML of blocks that just
   * became final (may be ""). Never retracted later. Cheap: cost bounded by the open block.
   * A fenced code block is committed whole when its closing fence arrives; until then it is
   * in the tail.
   */
  push(delta: string): string;
  /**
   * Feed the next delta without committing anything yet: `push(delta)` is `write(delta)` then
   * `flush()`. For a caller that sends HTML once per frame: written deltas are only kept, and
   * the next `flush()`, `tail()` or `end()` takes them in as one, so a frame costs about what
   * its text does however many deltas it came in.
   */
  write(delta: string): void;
  /** Commits the blocks that became final since the last commit; returns their HTML (may be ""). */
  flush(): string;
  /**
   * Sanitized HTML of the open (not yet final) block, with open constructs closed for display
   * only (e.g. "**bo" shows as <strong>bo</strong>, an open fence shows as a code block, no half
   * URLs as links/images). "" when nothing is open. Called by the caller at most once per
   * animation frame (the caller does time coalescing); cached until the text changes.
   */
  tail(): string;
  /**
   * The tail, as an edit of the tail the previous `tailEdit()` made ("" before the first):
   * keep its first `keep` characters, then add `add`. Costs what changed, where sending
   * `tail()` whole costs the open block's length every time: a page that holds the tail as a
   * string applies `tail = tail.slice(0, keep) + add`.
   */
  tailEdit(): TailEdit;
  /**
   * End of the answer: flushes everything. `append` = HTML not yet committed (so that
   * concat(all push() results) + end().append === end().html whenever no reconciliation was
   * needed); `html` = renderMarkdown(full text) exactly, byte for byte (this reconciles the rare
   * case, e.g. a reference link whose definition came later).
   */
  end(): { append: string; html: string };
  /**
   * Optional: `end().html`, for a caller that can wait for it, computed off the event loop when
   * the answer is long (see with-final-render-worker). `text` is every delta written, joined. A
   * string when it was computed at once; ends the stream as end() does.
   */
  finalHtml?(text: string): string | Promise<string>;
  /** The full normalised markdown text received so far (CRLF/CR → LF, BOM stripped). */
  readonly text: string;
}
