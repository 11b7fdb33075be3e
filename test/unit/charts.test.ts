/**
 * The charts as pictures: real PNGs of the right size, whose pixels show the data (bars where the
 * points are, none where there are none), with their text drawn in the bundled font.
 */
import { describe, expect, it } from 'vitest';
import { boardChart, statsChart, statsHeight, STATS_SIZE, type StatsChartData } from '../../src/charts/index.js';
import { fontFiles } from '../../src/charts/font.js';
import { decodePng, distance, isPng, pngSize, type Pixels } from '../helpers/png.js';

const BLUE = '#4c78a8';
const GREEN = '#2f9e44';
const RED = '#d9480f';
const ORANGE = '#e8590c';
const WHITE = '#ffffff';

const week = (i: number, points: number, correctRate: number | null = null) => ({ label: `${i + 1} Nov`, points, scored: correctRate === null ? 0 : 2, correctRate });

function data(): StatsChartData {
  const weeks = Array.from({ length: 12 }, (_, i) => week(i, 0));
  weeks[3] = week(3, 10, 0.5);
  weeks[11] = week(11, 20, 1);
  return { name: 'Ada', weeks, topics: [{ topic: 'databases', score: 0.9, answers: 4 }, { topic: 'security', score: 0.3, answers: 2 }] };
}

/** Runs of pixels near a colour along a row: [start, end] x pairs. */
function runs(img: Pixels, y: number, hex: string, from = 0, to = img.width): [number, number][] {
  const out: [number, number][] = [];
  for (let x = from; x < to; x++) {
    if (distance(img.at(x, y), hex) > 24) continue;
    const last = out.at(-1);
    if (last && last[1] === x - 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

/** Pixels in a box that are clearly not the white background (text, at this size). */
function inked(img: Pixels, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (distance(img.at(x, y), WHITE) > 96) n++;
  return n;
}

describe('charts', () => {
  it('finds the bundled font (text would be missing without it)', () => {
    expect(fontFiles()).toHaveLength(2);
  });

  it('renders a member’s stats as a PNG of the documented size', async () => {
    const image = await statsChart(data());
    expect(image.name).toBe('dojo-stats.png');
    expect(isPng(image.bytes)).toBe(true);
    expect(pngSize(image.bytes)).toEqual({ width: STATS_SIZE.width, height: statsHeight(2) });
    expect(statsHeight(2)).toBe(336 + 2 * 28 + 24);
    expect(image.alt).toBe("Ada's points per week for the last 12 weeks: 30 in all, best the week of 12 Nov with 20. Right answers: 100% in the latest week with scored answers. Topics by strength: databases 90%, security 30%.");
  });

  it('draws a bar for each week with points, where that week is, taller for more points', async () => {
    const img = decodePng((await statsChart(data())).bytes);
    expect(distance(img.at(4, 4), WHITE)).toBe(0);
    // Just above the baseline (y 270): one bar in week 4's band and one in week 12's, nothing elsewhere.
    const step = (744 - 56) / 12.25;
    const centre = (i: number) => 56 + step * (i + 0.625);
    const bars = runs(img, 265, BLUE);
    expect(bars).toHaveLength(2);
    bars.forEach(([a, b], k) => expect(Math.abs((a + b) / 2 - centre([3, 11][k]!))).toBeLessThan(2));
    // Week 12 (20 points, the top of the axis) reaches higher than week 4 (10 points).
    expect(runs(img, 120, BLUE).map(([a, b]) => Math.round((a + b) / 2))).toEqual([Math.round(centre(11))]);
    // The right-answers line joins the two rated weeks.
    expect(runs(img, 130, ORANGE, 300, 650)).toHaveLength(1);
  });

  it('draws topic strengths as bars as long as the score, coloured by it', async () => {
    const img = decodePng((await statsChart(data())).bytes);
    const step = 56 / 2.2;
    const row = (i: number) => Math.round(336 + step * (i + 0.6));
    const x = (score: number) => 194 + score * 532;
    expect(distance(img.at(Math.round(x(0.85)), row(0)), GREEN)).toBeLessThan(24);
    expect(distance(img.at(Math.round(x(0.25)), row(1)), RED)).toBeLessThan(24);
    expect(distance(img.at(Math.round(x(0.5)), row(1)), RED)).toBeGreaterThan(60);
  });

  it('renders its text: the title area has ink, and a longer name has more', async () => {
    const short = decodePng((await statsChart({ ...data(), name: 'Al' })).bytes);
    const long = decodePng((await statsChart({ ...data(), name: 'Alexandra Montgomery' })).bytes);
    const title = (img: Pixels) => inked(img, 20, 12, 400, 42);
    expect(title(short)).toBeGreaterThan(50);
    expect(title(long)).toBeGreaterThan(title(short) * 3);
  });

  it('says so when a member has no scored topics yet', async () => {
    const image = await statsChart({ name: 'New', weeks: [week(0, 0)], topics: [] });
    expect(pngSize(image.bytes).height).toBe(statsHeight(0));
    expect(image.alt).toBe("New's points per week for the last 1 weeks: 0 in all.");
    expect(inked(decodePng(image.bytes), 24, 340, 500, 370)).toBeGreaterThan(50);
  });

  it('renders a board: one bar per member, the best longest, names escaped', async () => {
    const image = await boardChart([{ name: 'ada <b>&', points: 40 }, { name: 'bob', points: 20 }, { name: 'cy', points: 20, rank: 2 }], { title: 'This week' });
    expect(image.name).toBe('dojo-board.png');
    expect(image.alt).toBe('This week: 1. ada <b>& 40, 2. bob 20, 2. cy 20.');
    expect(pngSize(image.bytes)).toEqual({ width: 800, height: 64 + 3 * 36 + 24 });
    const img = decodePng(image.bytes);
    const barAt = (i: number) => runs(img, Math.round(64 + (3 * 36) / 3.22 * (i + 0.61)), BLUE, 255, 800);
    const lengths = [0, 1, 2].map((i) => barAt(i).reduce((s, [a, b]) => s + b - a + 1, 0));
    expect(lengths[0]).toBeGreaterThan(lengths[1]! * 1.8);
    expect(lengths[1]).toBe(lengths[2]);
    expect(inked(img, 20, 12, 300, 42)).toBeGreaterThan(50);
  });

  it('renders an empty board with its note', async () => {
    const image = await boardChart([]);
    expect(image.alt).toBe('Leaderboard: no points yet.');
    expect(pngSize(image.bytes)).toEqual({ width: 800, height: 64 + 36 + 24 });
  });
});
