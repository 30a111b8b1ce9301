/** Words that say nothing of what a passage is about (English); they are left out of the search. */
const STOP_WORDS = new Set(
  ('a an and are as at be but by can could did do does for from had has have how i if in into is it its me my of on or ' +
    'our so than that the their them then there these they this those to us was we were what when where which who whom ' +
    'why will with would you your about tell please some any much many more most also just very should may might ' +
    'he she his her him hers there here been being am not no yes').split(' '),
);
/** Words that point back at something said before: the question leans on the conversation. */
const ANAPHORA = new Set(['it', 'its', 'they', 'them', 'their', 'that', 'this', 'those', 'these', 'he', 'she', 'his', 'her', 'there', 'one']);
/** Fewer content words than this, and a follow-up is assumed to lean on the conversation too. */
const MIN_WORDS = 3;
/** The most words a search is made of. */
const MAX_WORDS = 32;

/** The lower-cased words of `text`, letters and digits of any script. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words of `text` worth searching for, once each, in order. */
export function contentWords(text: string): string[] {
  return [...new Set(words(text).filter((w) => !STOP_WORDS.has(w)))];
}

export interface SearchQuery {
  /** The words searched for. */
  words: string[];
  /** True when the previous question's words were added. */
  rewritten: boolean;
  /** The text embedded for the vector search. */
  text: string;
}

/**
 * What to search for: the user's message. When it leans on the conversation (a word such as
 * "it", "its", "that", or fewer than three content words, as in "what about its price?") and
 * there was a previous question, that question's words are added. A cheap rule instead of a
 * model call: no extra latency or tokens, and it never invents words the user did not use.
 */
export function searchQuery(message: string, previousQuestion: string | undefined): SearchQuery {
  const own = contentWords(message);
  const leans = words(message).some((w) => ANAPHORA.has(w)) || own.length < MIN_WORDS;
  if (!leans || previousQuestion === undefined) return { words: own.slice(0, MAX_WORDS), rewritten: false, text: message };
  const widened = [...new Set([...own, ...contentWords(previousQuestion)])];
  return { words: widened.slice(0, MAX_WORDS), rewritten: widened.length > own.length, text: `${previousQuestion}\n${message}` };
}
