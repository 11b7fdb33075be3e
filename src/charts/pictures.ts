/** The pictures the bot sends: drawn from their data (render.ts), named, with their alt text. */
import type { OutImage } from '../core/messages.js';
import { boardAlt, MAX_ROWS, statsAlt, type BoardChartOptions, type BoardChartRow, type StatsChartData } from './data.js';
import { renderChart } from './render.js';

export async function statsChart(data: StatsChartData): Promise<OutImage> {
  const png = await renderChart({ kind: 'stats', data });
  return { name: 'dojo-stats.png', bytes: png.bytes, alt: statsAlt(data) };
}

/** The top ten of `rows` (in the order given: best first). */
export async function boardChart(rows: BoardChartRow[], options: BoardChartOptions = {}): Promise<OutImage> {
  const title = options.title ?? 'Leaderboard';
  const shown = rows.slice(0, MAX_ROWS);
  const png = await renderChart({ kind: 'board', rows: shown, title });
  return { name: options.name ?? 'dojo-board.png', bytes: png.bytes, alt: boardAlt(shown, title) };
}
