import { Parser } from 'htmlparser2';
import type { Block } from './blocks';
import { SLICE_CHARS, Slices } from './slices';

/** Elements whose content is no text of the document. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'button']);
/** Elements that end a paragraph. */
const BREAKS = new Set([
  'p', 'div', 'br', 'li', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside',
  'blockquote', 'pre', 'table', 'ul', 'ol', 'dl', 'dd', 'dt', 'hr', 'figure', 'figcaption', 'form', 'address',
]);
const HEADING = /^h([1-6])$/;

/**
 * The text of an HTML document as headings (h1–h6) and paragraphs; markup, scripts, styles and
 * the head are dropped, entities decoded, white space collapsed (kept in `<pre>`).
 */
export async function htmlBlocks(html: string | readonly string[], slices = new Slices()): Promise<Block[]> {
  const blocks: Block[] = [];
  let text = '';
  let skipping = 0;
  let pre = 0;
  let heading: number | undefined;
  const flush = () => {
    const value = pre > 0 ? text.replace(/^\n+|\s+$/g, '') : text.replace(/\s+/g, ' ').trim();
    text = '';
    if (value === '') return;
    if (heading !== undefined) blocks.push({ kind: 'heading', level: heading, text: value.replace(/\s+/g, ' ') });
    else blocks.push({ kind: 'paragraph', text: value });
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipping++;
        if (skipping > 0) return;
        const level = HEADING.exec(name)?.[1];
        if (level !== undefined) {
          flush();
          heading = Number(level);
        } else if (BREAKS.has(name)) {
          if (heading === undefined) flush();
          else text += ' ';
        }
        if (name === 'pre') pre++;
      },
      ontext(data) {
        if (skipping === 0) text += data;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (HEADING.test(name) && heading !== undefined) {
          flush();
          heading = undefined;
        } else if (BREAKS.has(name) && heading === undefined) {
          flush();
        }
        if (name === 'pre') pre = Math.max(0, pre - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  // Fed a slice at a time, with a turn of the event loop between, so a big page never blocks it for long.
  await slices.run(feed(parser, typeof html === 'string' ? [html] : html));
  parser.end();
  flush();
  return blocks;
}

/** Fed to the parser at a time: small beside a slice, so a slice ends close to its budget. */
const FEED_CHARS = SLICE_CHARS / 16;

function* feed(parser: Parser, pieces: readonly string[]): Generator<number, void> {
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += FEED_CHARS) {
      const part = piece.slice(at, at + FEED_CHARS);
      parser.write(part);
      yield part.length;
    }
  }
}
