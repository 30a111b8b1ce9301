const WHITE_SPACE = /\s/u;

/**
 * Where the runs of `*` or `_` that can open emphasis and that nothing after them can close
 * start in `text`, in order.
 * Marked closes emphasis only with a run that follows a character other than white space or
 * the delimiter itself; the runs after the last such one can open but not yet close. Each of
 * them makes marked scan to the end of the text for a closer when a display repair puts one
 * there, so a run of `*a *a *a …` costs the square of its openers to show.
 */
export function unclosedOpenerRuns(text: string): number[] {
  let runs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if ((ch !== '*' && ch !== '_') || text[i - 1] === ch) continue;
    const before = text[i - 1];
    if (before !== undefined && !WHITE_SPACE.test(before)) {
      runs = [];
      continue;
    }
    let end = i + 1;
    while (text[end] === ch) end++;
    // Followed by white space (or nothing), a run opens nothing either.
    if (end < text.length && !WHITE_SPACE.test(text[end]!)) runs.push(i);
    i = end - 1;
  }
  return runs;
}
