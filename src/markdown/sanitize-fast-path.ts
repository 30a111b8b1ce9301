import type { Sanitizer } from './sanitize-policy';

/**
 * A shortcut in front of the sanitizer for the HTML our own renderer writes, which it sees over
 * and over (every tail, every block). sanitize-html parses and rebuilds each fragment from
 * scratch; most of that work goes to tags it has seen before. This pass reads the fragment with
 * a strict grammar (allowed tags, double-quoted attributes, text whose only entities are the
 * five marked writes) and asks the real sanitizer about each distinct tag once, caching the
 * answer. Anything outside that grammar, or anything the HTML parser would treat specially
 * (an implied end tag, an unbalanced tag), goes to the real sanitizer whole. Either way the
 * bytes are the real sanitizer's: the tests check that they agree.
 */
export function withFastPath(sanitize: Sanitizer, allowedTags: readonly string[]): Sanitizer {
  const allowed = new Set(allowedTags);
  const tagCache = new Map<string, string | null>();

  /** The sanitizer's version of one opening tag: its markup, or null when it is dropped. */
  const sanitizeTag = (tag: string, name: string): string | null => {
    let clean = tagCache.get(tag);
    if (clean !== undefined) return clean;
    if (VOID.has(name)) {
      const out = sanitize(tag);
      clean = out === '' ? null : out;
    } else {
      const closing = `</${name}>`;
      const out = sanitize(tag + closing);
      clean = out === '' ? null : out.endsWith(closing) ? out.slice(0, -closing.length) : undefined;
    }
    if (clean === undefined) return null;
    if (tagCache.size >= MAX_CACHED_TAGS) tagCache.clear();
    tagCache.set(tag, clean);
    return clean;
  };

  const fast = (html: string): string | undefined => {
    const open: { name: string; kept: boolean }[] = [];
    let out = '';
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < html.length) {
      const match = TOKEN.exec(html);
      if (match === null) return undefined;
      const [whole, closingName, openingName] = match;
      if (closingName !== undefined) {
        const top = open.pop();
        if (top === undefined || top.name !== closingName) return undefined;
        if (top.kept) out += whole;
      } else if (openingName !== undefined) {
        if (!allowed.has(openingName)) return undefined;
        const top = open.at(-1);
        if (top !== undefined && IMPLIES_CLOSE.get(openingName)?.has(top.name)) return undefined;
        const clean = sanitizeTag(whole, openingName);
        // Only a link to a bad URL is dropped while its text stays; anything else is unusual.
        if (clean === null && openingName !== 'a' && openingName !== 'img') return undefined;
        if (clean !== null) out += clean;
        if (!VOID.has(openingName)) open.push({ name: openingName, kept: clean !== null });
      } else {
        const text = escapeText(whole);
        if (text === undefined) return undefined;
        out += text;
      }
    }
    return open.length === 0 ? out : undefined;
  };

  return (html) => fast(html) ?? sanitize(html);
}

const MAX_CACHED_TAGS = 2000;
const VOID = new Set(['br', 'hr', 'img', 'input']);
// htmlparser2 closes these open elements when the given tag opens (its openImpliesClose).
const P = new Set(['p']);
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'hr', 'ol', 'pre', 'table', 'ul'].map(
    (name) => [name, P] as [string, ReadonlySet<string>],
  ),
]);
// A closing tag, an opening tag with double-quoted attributes, or text up to the next `<`.
const TOKEN = /<\/([a-z][a-z0-9]*)>|<([a-z][a-z0-9]*)(?: [a-z][a-z-]*(?:="[^"<>]*")?)*>|[^<]+/y;
const TEXT_ENTITY = /&(amp|lt|gt|quot|#39);/g;
// The parser decodes these and the sanitizer writes back only &, < and > as entities.
const DECODED: Record<string, string> = { amp: '&amp;', lt: '&lt;', gt: '&gt;', quot: '"', '#39': "'" };

/** Text as the sanitizer writes it back, or undefined if it holds anything else to decode. */
function escapeText(text: string): string | undefined {
  if (text.includes('>')) return undefined;
  if (!text.includes('&')) return text;
  const out = text.replace(TEXT_ENTITY, (_, name: string) => DECODED[name] ?? '');
  // Any other `&` may start an entity the parser would decode: leave it to the sanitizer.
  const rest = out.replace(/&(?:amp|lt|gt);/g, '');
  return rest.includes('&') ? undefined : out;
}
