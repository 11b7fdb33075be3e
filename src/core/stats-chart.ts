/**
 * The picture in /dojo stats: a member's points and right answers per week in the team's time zone, and
 * their topics by strength. The data is read in the command's transaction; the drawing happens after it.
 */
import type { StatsChartData } from '../charts/index.js';
import { periodTotals, topicStrengths, type PeriodTotals, type TopicScore } from '../db/repos/member-history.js';
import type { Handle } from '../db/repos/types.js';
import type { Work } from './context.js';
import type { OutImage } from './messages.js';
import { MAX_CRITERION } from './scoring.js';
import { periodStart } from './time.js';

export const WEEKS = 12;
const WEEK = 7 * 86_400_000;
const HALF_DAY = 43_200_000;

/** The Mondays (local midnight) starting the last `n` weeks, oldest first, and the next one after them. */
export function weekBounds(now: Date, zone: string, n: number): Date[] {
  const thisWeek = periodStart(now, zone, 'week');
  // Noon a whole number of weeks away is inside that week whatever daylight saving did in between.
  return Array.from({ length: n + 1 }, (_, i) => periodStart(new Date(thisWeek.getTime() + (i - n + 1) * WEEK + HALF_DAY), zone, 'week'));
}

export async function statsChartData(work: { trx: Handle; now: Date }, team: { id: string; timezone: string }, member: { id: number; name: string }): Promise<StatsChartData> {
  const bounds = weekBounds(work.now, team.timezone, WEEKS);
  const max = 3 * MAX_CRITERION;
  const totals = await periodTotals(work.trx, team.id, member.id, bounds, max);
  const topics = await topicStrengths(work.trx, team.id, member.id, max);
  return chartOf(member.name, team.timezone, bounds, totals, topics);
}

/** The chart's data from what was read: totals per week between `bounds` (weekBounds), topic strengths. */
export function chartOf(name: string, zone: string, bounds: Date[], totals: PeriodTotals[], topics: TopicScore[]): StatsChartData {
  const label = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short' });
  return {
    name,
    weeks: totals.map((t, i) => ({ label: label.format(bounds[i]!), points: t.points, scored: t.scored, correctRate: t.scored ? t.earned / t.scored : null })),
    topics: topics.map((t) => ({ topic: t.area, score: t.score, answers: t.n })),
  };
}

/** Draws the chart after the commit, logging how long it took (tens of milliseconds, off the event loop). */
export function drawStats(work: Pick<Work, 'deps'>, data: StatsChartData): () => Promise<OutImage[]> {
  return async () => {
    const started = performance.now();
    try {
      // Loaded at the first chart: resvg (a native library) and d3 are 17 MB an idle bot need not hold.
      const { statsChart } = await import('../charts/index.js');
      const image = await statsChart(data);
      work.deps.log.debug({ ms: Math.round(performance.now() - started), bytes: image.bytes.length }, 'stats chart drawn');
      return [image];
    } catch (error) {
      // The words say it all too: a chart that fails to draw leaves the reply without it.
      work.deps.log.warn({ err: error }, 'could not draw a stats chart');
      return [];
    }
  };
}
