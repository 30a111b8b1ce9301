import { Parser } from 'htmlparser2';

/** Tags the renderer may ever emit; `img` only when some image host is allowed. */
export const SAFE_TAGS = new Set([
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'em', 'strong', 'del', 'code', 'pre',
  'blockquote', 'ul', 'ol', 'li', 'input', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'input']);
const ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  a: new Set(['href', 'title', 'rel', 'target']),
  ol: new Set(['start']),
  th: new Set(['align']),
  td: new Set(['align']),
  input: new Set(['type', 'checked', 'disabled']),
  code: new Set(['class']),
  img: new Set(['src', 'alt', 'title']),
};
const LINK = /^(?:https?:|mailto:)/i;
const IMAGE = /^https?:/i;

export interface HtmlCheckOptions {
  /** Hosts an `<img>` may point at; none by default. */
  allowedImageHosts?: readonly string[];
}

/**
 * Every problem a real HTML parse finds in `html`: a tag outside the allowlist, an attribute
 * outside the tag's list (so no `on*`, no `style`), a link or image URL outside the allowed
 * schemes or hosts, a link without its rel/target, a live checkbox, a bad code class. Empty
 * when the fragment is safe.
 */
export function findUnsafe(html: string, options: HtmlCheckOptions = {}): string[] {
  const problems: string[] = [];
  const hosts = options.allowedImageHosts ?? [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (!SAFE_TAGS.has(name) || (name === 'img' && hosts.length === 0)) problems.push(`tag <${name}>`);
        for (const [attr, value] of Object.entries(attribs)) {
          if (!ATTRIBUTES[name]?.has(attr)) problems.push(`attribute ${attr} on <${name}>`);
          if (/^on/i.test(attr) || attr === 'style') problems.push(`attribute ${attr}`);
          if (attr === 'href' && !LINK.test(value.trim())) problems.push(`href ${value}`);
          if (attr === 'src') {
            let host = '';
            try {
              host = new URL(value).hostname;
            } catch {
              problems.push(`src ${value}`);
            }
            if (!IMAGE.test(value.trim()) || !hosts.includes(host)) problems.push(`src ${value}`);
          }
          if (attr === 'class' && !/^language-[A-Za-z0-9_+#.-]+$/.test(value)) problems.push(`class ${value}`);
          if (attr === 'align' && !['left', 'center', 'right'].includes(value)) problems.push(`align ${value}`);
        }
        if (name === 'a' && (attribs.rel !== 'noopener noreferrer nofollow' || attribs.target !== '_blank')) {
          problems.push(`link without rel/target: ${JSON.stringify(attribs)}`);
        }
        if (name === 'input' && (attribs.type !== 'checkbox' || attribs.disabled === undefined)) {
          problems.push(`input ${JSON.stringify(attribs)}`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

/**
 * Problems with the structure of `html` as a fragment that stands on its own: a closing tag
 * with nothing open to close, or an element the parser had to close itself.
 */
export function findUnbalanced(html: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const parser = new Parser({
    onopentag(name) {
      if (!VOID_TAGS.has(name)) open.push(name);
    },
    onclosetag(name, isImplied) {
      if (VOID_TAGS.has(name)) return;
      const top = open.pop();
      if (isImplied || top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}>${isImplied ? ' (implied)' : ''}`);
    },
  });
  // A closing tag with nothing open is dropped by the parser without a callback: count them.
  const closings = html.match(/<\/[a-z][a-z0-9]*>/g)?.length ?? 0;
  const openings = (html.match(/<[a-z][a-z0-9]*(?:\s[^<>]*)?>/g) ?? []).filter((tag) => !VOID_TAGS.has(/^<([a-z0-9]+)/.exec(tag)![1]!)).length;
  parser.write(html);
  parser.end();
  if (openings !== closings) problems.push(`${openings} opening tags, ${closings} closing tags`);
  return problems;
}
