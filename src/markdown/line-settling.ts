/** How many characters of a line are kept to tell what kind of line it is. */
export const LINE_HEAD_LENGTH = 64;

// What a line starts with decides its block. Text, or a block marker followed by a word, is
// settled; a line this short, or made of markers only, may still become a list item, heading,
// rule, table, fence, setext underline or HTML.
const TEXT_START = /^[ \t]*[^\s\-*+#>|=~`\d.)_:<[!]/;
const MARKER_THEN_WORD = /^[ \t]*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+\p{L}/u;
const FENCE_START = /^ {0,3}(?:```|~~~)/;
// A table row or HTML only shows what it is once its line is complete.
const WHOLE_LINE_DECIDES = /^\s*[|<]/;
// A line that may still be a link reference definition (`[label]: url`); once the label closes
// on anything but a colon it is text.
const LINK_LABEL_START = /^ {0,3}\[/;
const MAY_BE_DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)*(?:\]:.*|\])?$/;
const MIN_SETTLED_LENGTH = 12;
const MARKERS_ONLY = /^[\s\-*_=~`#>|:+.)\d]*$/;

/**
 * Has the line being written grown past the point where more text could change which block it
 * belongs to? `head` is its first {@link LINE_HEAD_LENGTH} characters, `length` its length.
 */
export function isSettledLine(head: string, length: number): boolean {
  if (TEXT_START.test(head) || MARKER_THEN_WORD.test(head) || FENCE_START.test(head)) return true;
  if (LINK_LABEL_START.test(head)) return !MAY_BE_DEFINITION.test(head) || (length > head.length && !head.includes(']'));
  return length >= MIN_SETTLED_LENGTH && !MARKERS_ONLY.test(head) && !WHOLE_LINE_DECIDES.test(head);
}
