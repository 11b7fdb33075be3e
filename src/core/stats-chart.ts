/**
 * The picture in /dojo stats: a member's points and right answers per week in the team's time zone, and
 * their topics by strength. The data is read in the command's transaction; the drawing happens after it.
 */
import type { StatsChartData } from '../charts/index.js';
import { periodTotals, topicStrengths, type PeriodTotals, type TopicScore } from '../db/repos/member-history.js';
import type { Handle } from '../db/repos/types.js';
import type { Work } from './context.js';
import type { Outcome, Reply } from './ports.js';
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

const formats = new Map<string, Intl.DateTimeFormat>();

/** "9 Nov" in the zone: one formatter per zone (making one costs more than the rest of the chart's data). */
function dayMonth(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) formats.set(zone, (format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short' })));
  return format;
}

/** The chart's data from what was read: totals per week between `bounds` (weekBounds), topic strengths. */
export function chartOf(name: string, zone: string, bounds: Date[], totals: PeriodTotals[], topics: TopicScore[]): StatsChartData {
  const label = dayMonth(zone);
  return {
    name,
    weeks: totals.map((t, i) => ({ label: label.format(bounds[i]!), points: t.points, scored: t.scored, correctRate: t.scored ? t.earned / t.scored : null })),
    topics: topics.map((t) => ({ topic: t.area, score: t.score, answers: t.n })),
  };
}

/**
 * What /dojo stats says about its picture. The words go at once; the chart follows as its own private
 * delivery when the drawing has room (Slack: into the person's direct messages with the bot, since an
 * ephemeral reply cannot carry a file; Discord: a private follow-up). When the drawing is full the chart
 * is skipped and the reply says so; when it fails after being promised, the person is told.
 */
export const CHART_TEXT = {
  follows: (platform: string) => (platform === 'slack' ? 'Your chart follows in our direct messages.' : 'Your chart follows in a moment.'),
  skipped: 'No chart this time: I am drawing a lot of them just now. Ask again in a minute for yours.',
  failed: "I couldn't draw your chart this time; the numbers above say it all.",
} as const;

/** After the commit: offers the chart to the bounded drawing, and says in the reply whether it follows. */
export function offerStats(work: Pick<Work, 'deps'>, platform: string, data: StatsChartData, reply: Reply): () => Outcome {
  return () => {
    const { log, drawing } = work.deps;
    const started = performance.now();
    const drawn = drawing.offer(async () => {
      try {
        // Loaded at the first chart (a few KB: the data is drawn on the drawing thread, which alone loads d3 and resvg).
        const { statsChart } = await import('../charts/index.js');
        const image = await statsChart(data);
        log.debug({ ms: Math.round(performance.now() - started), bytes: image.bytes.length }, 'stats chart drawn');
        return image;
      } catch (error) {
        log.warn({ err: error }, 'could not draw a stats chart');
        throw error;
      }
    });
    if (!drawn) return { reply: noted(reply, CHART_TEXT.skipped) };
    return { reply: noted(reply, CHART_TEXT.follows(platform)), pictures: { images: drawn.then((image) => (image ? [image] : [])), failed: CHART_TEXT.failed } };
  };
}

function noted(reply: Reply, note: string): Reply {
  return { ...reply, text: `${reply.text}\n${note}`, blocks: [...(reply.blocks ?? []), { type: 'context', text: note }] };
}
