/**
 * A member's stats as an SVG: points per week (bars) with the share of scored answers that were right
 * (a line, right-hand axis), and below, their topics by strength (bars). Pure: data in, SVG out.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { MAX_TOPICS, pct, STATS_SIZE, statsHeight, TOPIC_ROW, TOPICS_TOP, type StatsChartData, type TopicStrength, type WeekPoint } from './data.js';
import { AMBER, BLUE, GREEN, GRID, MUTED, ORANGE, RED, clip, svgDocument, text } from './svg-kit.js';

function weeklyPanel(weeks: WeekPoint[], top: number, bottom: number, left: number, right: number): string[] {
  const out: string[] = [];
  const x = scaleBand<number>().domain(weeks.map((_, i) => i)).range([left, right]).padding(0.25);
  const y = scaleLinear().domain([0, Math.max(10, ...weeks.map((w) => w.points))]).nice(4).range([bottom, top]);
  const rate = scaleLinear().domain([0, 1]).range([bottom, top]);
  for (const tick of y.ticks(4)) {
    out.push(`<line x1="${left}" x2="${right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${GRID}" stroke-width="1"/>`);
    out.push(text(left - 8, y(tick) + 4, String(tick), { size: 11, anchor: 'end', fill: MUTED }));
  }
  for (const tick of [0, 0.5, 1]) out.push(text(right + 8, rate(tick) + 4, pct(tick), { size: 11, fill: ORANGE }));
  weeks.forEach((w, i) => {
    const h = bottom - y(w.points);
    if (h > 0) out.push(`<rect x="${x(i)!.toFixed(1)}" y="${y(w.points).toFixed(1)}" width="${x.bandwidth().toFixed(1)}" height="${h.toFixed(1)}" fill="${BLUE}" rx="2"/>`);
    // Every other label when crowded, always the last (this week).
    if (weeks.length <= 8 || i % 2 === (weeks.length - 1) % 2) out.push(text(x(i)! + x.bandwidth() / 2, bottom + 16, w.label, { size: 11, anchor: 'middle', fill: MUTED }));
  });
  const rated = weeks.map((w, i) => ({ i, r: w.correctRate })).filter((p): p is { i: number; r: number } => p.r !== null);
  const path = line<{ i: number; r: number }>()
    .x((p) => x(p.i)! + x.bandwidth() / 2)
    .y((p) => rate(p.r))(rated);
  if (path && rated.length > 1) out.push(`<path d="${path}" fill="none" stroke="${ORANGE}" stroke-width="2.5"/>`);
  for (const p of rated) out.push(`<circle cx="${(x(p.i)! + x.bandwidth() / 2).toFixed(1)}" cy="${rate(p.r).toFixed(1)}" r="4" fill="${ORANGE}" stroke="#ffffff" stroke-width="1.5"/>`);
  return out;
}

function topicPanel(topics: TopicStrength[], top: number, left: number, right: number): string[] {
  const shown = topics.slice(0, MAX_TOPICS);
  if (shown.length === 0) return [text(left, top + 24, 'No scored topics yet: answer a few questions to see them here.', { size: 13, fill: MUTED })];
  const labelWidth = 170;
  const x = scaleLinear().domain([0, 1]).range([left + labelWidth, right - 50]);
  const y = scaleBand<number>().domain(shown.map((_, i) => i)).range([top, top + shown.length * TOPIC_ROW]).padding(0.2);
  return shown.flatMap((t, i) => {
    const colour = t.score >= 0.7 ? GREEN : t.score >= 0.4 ? AMBER : RED;
    const mid = y(i)! + y.bandwidth() / 2 + 4;
    return [
      text(left + labelWidth - 10, mid, clip(t.topic, 22), { size: 12, anchor: 'end' }),
      `<rect x="${x(0).toFixed(1)}" y="${y(i)!.toFixed(1)}" width="${(x(1) - x(0)).toFixed(1)}" height="${y.bandwidth().toFixed(1)}" fill="#f1f3f5" rx="3"/>`,
      `<rect x="${x(0).toFixed(1)}" y="${y(i)!.toFixed(1)}" width="${Math.max(2, x(t.score) - x(0)).toFixed(1)}" height="${y.bandwidth().toFixed(1)}" fill="${colour}" rx="3"/>`,
      text(x(1) + 8, mid, pct(t.score), { size: 12, weight: 'bold' }),
    ];
  });
}

/** The stats chart's SVG (what statsChart draws). */
export function statsSvg(data: StatsChartData): string {
  const { width } = STATS_SIZE;
  const height = statsHeight(data.topics.length);
  const left = 56;
  const right = width - 56;
  const body = [
    text(24, 36, clip(`${data.name}`, 40), { size: 22, weight: 'bold' }),
    text(24, 58, `Points per week`, { size: 13, fill: BLUE, weight: 'bold' }),
    text(150, 58, `and share of answers right, last ${data.weeks.length} weeks`, { size: 13, fill: ORANGE }),
    ...weeklyPanel(data.weeks, 80, 270, left, right),
    text(24, 322, 'Topics, strongest first', { size: 15, weight: 'bold' }),
    ...topicPanel(data.topics, TOPICS_TOP, 24, width - 24),
  ];
  return svgDocument(width, height, body);
}
