/**
 * A picture to draw, as plain data (what the drawing thread is sent), and its SVG. The SVG is built
 * where the picture is drawn (render-worker.ts), so neither d3 nor the glyph outlines load on the
 * thread that acks and replies, and none of its time goes to them.
 */
import { boardSvg } from './board.js';
import type { BoardChartRow, StatsChartData } from './data.js';
import { statsSvg } from './stats.js';

export type ChartJob = { kind: 'stats'; data: StatsChartData } | { kind: 'board'; rows: BoardChartRow[]; title: string };

export function svgOf(job: ChartJob): string {
  return job.kind === 'stats' ? statsSvg(job.data) : boardSvg(job.rows, job.title);
}
