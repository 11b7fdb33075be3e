/**
 * What to say when someone names a topic the bank does not have: the closest topics it does have
 * (a typo, a plural, a part of a longer name), and the areas to choose from.
 */
import { knownTopics, topicAreas } from '../db/repos/questions.js';
import type { Handle } from '../db/repos/types.js';

/** Edit distance (insertions, deletions, substitutions), for short words. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to `n` known topics closest to what was typed, best first; none when nothing is close. */
export function closestTopics(typed: string, known: readonly string[], n = 5): string[] {
  const t = typed.toLowerCase();
  const scored = known.map((k) => {
    // A part of a longer name ("sql" in "postgresql", "kafka" in "kafka-streams") counts as close.
    const contains = t.length >= 3 && k.length >= 3 && (k.includes(t) || t.includes(k));
    return { k, d: contains ? 0.5 : editDistance(t, k) };
  });
  const limit = Math.max(1, Math.floor(t.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((s) => s.k);
}

/** "I have no questions on "graphq". Closest: graphql. Areas: ..." for one or more unknown topics. */
export async function unknownTopicText(db: Handle, teamId: string, unknown: string[]): Promise<string> {
  const known = await knownTopics(db, teamId);
  const areas = await topicAreas(db, teamId);
  const close = [...new Set(unknown.flatMap((u) => closestTopics(u, known)))].slice(0, 5);
  return [
    `I have no questions on ${unknown.map((t) => `"${t}"`).join(', ')}.`,
    close.length ? `Closest: ${close.join(', ')}.` : '',
    `Areas: ${areas.join(', ')}.`,
  ]
    .filter(Boolean)
    .join(' ');
}
