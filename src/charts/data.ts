/**
 * What a chart shows, apart from how it is drawn: the data each picture takes, its size, and its alt
 * text. No d3 and no resvg here: the thread that acks and replies loads only this and render.ts, and
 * the drawing thread builds the SVG (svg.ts) and the PNG.
 */

export interface WeekPoint {
  /** A short label for the week's Monday ("9 Nov"). */
  label: string;
  points: number;
  /** Answers scored that week (choices, and open answers a mentor reviewed). */
  scored: number;
  /** Share of their worth those answers earned, 0..1; null without any. */
  correctRate: number | null;
}

export interface TopicStrength {
  topic: string;
  /** 0..1 */
  score: number;
  answers: number;
}

export interface StatsChartData {
  name: string;
  weeks: WeekPoint[];
  topics: TopicStrength[];
}

export interface BoardChartRow {
  name: string;
  points: number;
  /** A shared rank (1, 2, 2, 4): shown beside the name; by position when absent. */
  rank?: number;
}

export interface BoardChartOptions {
  /** The heading ("This week's board"). */
  title?: string;
  /** The file name (default `dojo-board.png`). */
  name?: string;
}

export const STATS_SIZE = { width: 800 } as const;
export const MAX_TOPICS = 6;
export const TOPICS_TOP = 336;
export const TOPIC_ROW = 28;
export const MAX_ROWS = 10;

/** The picture's height: the weekly panel, and a row for each topic shown (at least one line). */
export function statsHeight(topics: number): number {
  return TOPICS_TOP + Math.max(1, Math.min(MAX_TOPICS, topics)) * TOPIC_ROW + 24;
}

export const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Plain words for what the picture shows (screen readers, Slack's alt text). */
export function statsAlt(data: StatsChartData): string {
  const total = data.weeks.reduce((s, w) => s + w.points, 0);
  const best = data.weeks.reduce<WeekPoint | undefined>((b, w) => (w.points > (b?.points ?? 0) ? w : b), undefined);
  const rated = data.weeks.filter((w) => w.correctRate !== null);
  const parts = [`${data.name}'s points per week for the last ${data.weeks.length} weeks: ${total} in all${best ? `, best the week of ${best.label} with ${best.points}` : ''}.`];
  if (rated.length) parts.push(`Right answers: ${pct(rated.at(-1)!.correctRate!)} in the latest week with scored answers.`);
  if (data.topics.length) parts.push(`Topics by strength: ${data.topics.slice(0, MAX_TOPICS).map((t) => `${t.topic} ${pct(t.score)}`).join(', ')}.`);
  return parts.join(' ');
}

export function boardAlt(rows: BoardChartRow[], title: string): string {
  if (rows.length === 0) return `${title}: no points yet.`;
  return `${title}: ${rows.slice(0, MAX_ROWS).map((r, i) => `${r.rank ?? i + 1}. ${r.name} ${r.points}`).join(', ')}.`;
}
