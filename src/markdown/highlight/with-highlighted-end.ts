import type { MarkdownStream } from '../types';

/**
 * The stream with `end().html` passed through `highlight`, so an answer's final HTML (what
 * `complete.html` carries and what is stored) is highlighted while everything streamed before it,
 * and the renderer's one-shot equivalence, stays as it was.
 */
export function withHighlightedEnd(stream: MarkdownStream, highlight: (html: string) => string): MarkdownStream {
  return {
    push: (delta) => stream.push(delta),
    write: (delta) => stream.write(delta),
    flush: () => stream.flush(),
    tail: () => stream.tail(),
    tailEdit: () => stream.tailEdit(),
    end() {
      const end = stream.end();
      return { append: end.append, html: highlight(end.html) };
    },
    get text() {
      return stream.text;
    },
  };
}
