/**
 * Standard competition ranking: equal scores share a rank and the next rank skips past them
 * (points 12, 12, 2 rank 1, 1, 3). `points` must be sorted best first, as boards are.
 */
export function competitionRanks(points: number[]): number[] {
  const ranks: number[] = [];
  points.forEach((p, i) => ranks.push(i > 0 && p === points[i - 1] ? ranks[i - 1]! : i + 1));
  return ranks;
}
