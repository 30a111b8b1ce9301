/** A vote's outcome: a side won, it was a tie, or both answers were bad. */
export type Winner = 'A' | 'B' | 'tie' | 'both_bad';
export const WINNERS: readonly Winner[] = ['A', 'B', 'tie', 'both_bad'];
