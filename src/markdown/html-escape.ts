const TEXT_SPECIALS = /[&<>]/;

/**
 * Escapes text for an element's content the way our sanitizer writes text back out (only
 * `&`, `<` and `>`), so text escaped here and text that went through the sanitizer agree.
 */
export function escapeHtmlText(text: string): string {
  // Most text has nothing to escape, and a test is much cheaper than a replace.
  if (!TEXT_SPECIALS.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
