import sanitizeHtml from 'sanitize-html';
import { isAllowedImageUrl, isAllowedLinkUrl } from './url-policy';

/** Sanitizes one fragment of rendered markdown. */
export type Sanitizer = (html: string) => string;

/** Every tag an LLM answer may use. Images join only when some host is allowed. */
export const ALLOWED_TAGS: readonly string[] = Object.freeze([
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr',
  'em', 'strong', 'del', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'input',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'a',
]);

export const LINK_REL = 'noopener noreferrer nofollow';

// Elements whose content is not prose: dropped whole, text included. sanitize-html 2.17.5 has
// an advisory for textarea/xmp only when they are allowed, and they never are.
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'xmp', 'option', 'noscript', 'noembed', 'noframes', 'template',
  'iframe', 'object', 'embed', 'svg', 'math', 'title', 'select', 'plaintext',
];
const ALIGNMENTS = new Set(['left', 'center', 'right']);
const LANGUAGE_CLASS = /^language-[A-Za-z0-9_+#.-]{1,64}$/;

function keepAlignment(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const align = attribs.align ?? '';
  return { tagName, attribs: ALIGNMENTS.has(align) ? { align } : {} };
}

/**
 * The allowlist for model-written HTML: prose, lists, tables and code; links to http, https and
 * mailto only, opened in a new tab without referrer; task-list checkboxes that cannot be ticked;
 * images only from `allowedImageHosts`. Defaults to no image hosts.
 */
export function createSanitizer(allowedImageHosts: readonly string[] = []): Sanitizer {
  const hosts = [...allowedImageHosts];
  const allowImages = hosts.length > 0;
  const options: sanitizeHtml.IOptions = {
    allowedTags: allowImages ? [...ALLOWED_TAGS, 'img'] : [...ALLOWED_TAGS],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      ol: ['start'],
      th: ['align'],
      td: ['align'],
      input: ['type', 'checked', 'disabled'],
      ...(allowImages ? { img: ['src', 'alt', 'title'] } : {}),
    },
    allowedClasses: { code: [LANGUAGE_CLASS] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    parseStyleAttributes: false,
    // Attributes arrive entity-decoded here, so `&#106;avascript:` is seen as `javascript:`.
    // A tag is never renamed to a dropped one: sanitize-html 2.17.5 then leaks a stray closing
    // tag after the next sibling. Failing tags lose their attributes and are excluded instead.
    transformTags: {
      a: (_tag, attribs) => {
        const href = attribs.href ?? '';
        if (!isAllowedLinkUrl(href)) return { tagName: 'a', attribs: {} };
        const kept: sanitizeHtml.Attributes = { href };
        if (attribs.title) kept.title = attribs.title;
        kept.rel = LINK_REL;
        kept.target = '_blank';
        return { tagName: 'a', attribs: kept };
      },
      img: (_tag, attribs) => {
        const src = attribs.src ?? '';
        if (!isAllowedImageUrl(src, hosts)) return { tagName: 'img', attribs: {} };
        const kept: sanitizeHtml.Attributes = { src, alt: attribs.alt ?? '' };
        if (attribs.title) kept.title = attribs.title;
        return { tagName: 'img', attribs: kept };
      },
      // sanitize-html's own value list would leave a bare `align` behind.
      th: keepAlignment,
      td: keepAlignment,
      input: (_tag, attribs) => {
        if (attribs.type !== 'checkbox') return { tagName: 'input', attribs: {} };
        const kept: sanitizeHtml.Attributes = { type: 'checkbox' };
        if (attribs.checked !== undefined) kept.checked = '';
        kept.disabled = '';
        return { tagName: 'input', attribs: kept };
      },
    },
    // Drops the tag, keeps what is inside: a link to a bad URL reads as its text.
    exclusiveFilter: (frame) => {
      if (frame.tag === 'a' && frame.attribs.href === undefined) return 'excludeTag';
      if (frame.tag === 'img' && frame.attribs.src === undefined) return 'excludeTag';
      if (frame.tag === 'input' && frame.attribs.type === undefined) return 'excludeTag';
      return false;
    },
  };
  return (html) => sanitizeHtml(html, options);
}
