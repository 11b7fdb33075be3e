/**
 * The scoring rules (also in the README). Every point is an event in the ledger with a unique key, so
 * the same fact never scores twice, and boards are sums over the ledger.
 */

export const POINTS = {
  /** An on-time answer to any round. */
  participation: 2,
  /** A correct choice answered instantly: CORRECT_MAX; at the deadline half of it. */
  correctMax: 10,
  /** Each consecutive correct choice in a quiz after the first adds this, up to STREAK_CAP. */
  streakStep: 2,
  streakCap: 6,
  /** Question-of-the-day streak: one point per consecutive scheduled day before this one, up to 5. */
  qotdStreakCap: 5,
  /** A mentor's review: the rubric total (3 criteria, 0-4 each, so 0-12). */
  bestAnswer: 5,
} as const;

/**
 * Points for a correct choice: full for an instant answer, falling linearly to half at the deadline.
 * Split into a fixed `correct` part (half) and a `speed` part (the other half, shrinking with time).
 */
export function choicePoints(responseMs: number, windowMs: number): { correct: number; speed: number } {
  const fraction = windowMs <= 0 ? 1 : Math.min(1, Math.max(0, responseMs / windowMs));
  const half = POINTS.correctMax / 2;
  return { correct: half, speed: Math.round(half * (1 - fraction)) };
}

/** The bonus for the n-th consecutive correct answer in a quiz (n = 1 for the first). */
export function quizStreakBonus(consecutive: number): number {
  return Math.min(POINTS.streakCap, Math.max(0, consecutive - 1) * POINTS.streakStep);
}

/** The bonus for answering on the n-th consecutive scheduled day (n = 1 for a first day). */
export function qotdStreakBonus(consecutiveDays: number): number {
  return Math.min(POINTS.qotdStreakCap, Math.max(0, consecutiveDays - 1));
}

export const RUBRICS = {
  technical: [
    { id: 'correctness', label: 'Correctness' },
    { id: 'depth', label: 'Depth and trade-offs' },
    { id: 'clarity', label: 'Clarity' },
  ],
  star: [
    { id: 'star', label: 'STAR structure' },
    { id: 'ownership', label: 'Ownership' },
    { id: 'outcome', label: 'Outcome' },
  ],
} as const;

export const MAX_CRITERION = 4;

export function rubricFor(category: string): readonly { id: string; label: string }[] {
  return category === 'behavioral' || category === 'situational' ? RUBRICS.star : RUBRICS.technical;
}
