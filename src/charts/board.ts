/** A board as an SVG (the weekly recap's picture): the top members' points as horizontal bars. Pure: rows in, SVG out. */
import { scaleBand, scaleLinear } from 'd3-scale';
import { MAX_ROWS, type BoardChartRow } from './data.js';
import { BLUE, GRID, MUTED, clip, svgDocument, text } from './svg-kit.js';

const WIDTH = 800;
const ROW = 36;

/** The board's SVG: the top ten of `rows` (in the order given: best first) under `title`. */
export function boardSvg(rows: BoardChartRow[], title: string): string {
  const shown = rows.slice(0, MAX_ROWS);
  const top = 64;
  const height = top + Math.max(1, shown.length) * ROW + 24;
  const body = [text(24, 38, clip(title, 60), { size: 22, weight: 'bold' })];
  if (shown.length === 0) body.push(text(24, top + 24, 'No points yet. Answer a question to get on the board!', { size: 14, fill: MUTED }));
  const labelRight = 250;
  const x = scaleLinear().domain([0, Math.max(1, ...shown.map((r) => r.points))]).range([labelRight + 10, WIDTH - 80]);
  const y = scaleBand<number>().domain(shown.map((_, i) => i)).range([top, top + shown.length * ROW]).padding(0.22);
  shown.forEach((r, i) => {
    const mid = y(i)! + y.bandwidth() / 2 + 5;
    body.push(
      text(24, mid, `${r.rank ?? i + 1}.`, { size: 14, fill: MUTED }),
      text(labelRight, mid, clip(r.name, 24), { size: 14, anchor: 'end', ...(i === 0 ? { weight: 'bold' as const } : {}) }),
      `<line x1="${x(0)}" x2="${x(0)}" y1="${y(i)}" y2="${y(i)! + y.bandwidth()}" stroke="${GRID}"/>`,
      `<rect x="${x(0).toFixed(1)}" y="${y(i)!.toFixed(1)}" width="${Math.max(2, x(Math.max(0, r.points)) - x(0)).toFixed(1)}" height="${y.bandwidth().toFixed(1)}" fill="${BLUE}" rx="3"/>`,
      text(x(Math.max(0, r.points)) + 8, mid, String(r.points), { size: 14, weight: 'bold' }),
    );
  });
  return svgDocument(WIDTH, height, body);
}
