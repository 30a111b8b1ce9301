/** A vote's outcome: a side won, it was a tie, or both answers were bad. */
export const WINNERS = ['A', 'B', 'tie', 'both_bad'] as const;
export type Winner = (typeof WINNERS)[number];
