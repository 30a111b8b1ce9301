import sanitizeHtml from 'sanitize-html';
import type { Sanitizer } from '../sanitize-policy';

const LANGUAGE_CLASS = /^language-[A-Za-z0-9_+#.-]{1,64}$/;
const HLJS_CLASS = /^hljs-[a-z0-9_-]{1,40}$/;

/**
 * The allowlist for one highlighted code block: the answer allowlist's `pre` and `code` (with its
 * `language-*` class), plus the one thing highlighting adds, `span` with `hljs-*` classes.
 * Every other tag is dropped with its markup (text kept), every other attribute or class removed.
 */
export function createHighlightSanitizer(): Sanitizer {
  const options: sanitizeHtml.IOptions = {
    allowedTags: ['pre', 'code', 'span'],
    allowedAttributes: {},
    allowedClasses: { code: [LANGUAGE_CLASS], span: [HLJS_CLASS] },
    disallowedTagsMode: 'discard',
    parseStyleAttributes: false,
  };
  return (html) => sanitizeHtml(html, options);
}
