/**
 * How a board's range [from, to) splits into what the rollups keep (ledger_rollup): signed pieces of
 * whole UTC months and days, and raw ledger rows at the edges.
 *
 * One signed piece of a range: whole buckets of a grain ([from, to) as dates) or raw ledger rows ([from, to)
 * instants). A piece with sign -1 is taken away, so a month less its first day costs two buckets, not 30.
 */
export type Segment = { sign: 1 | -1 } & ({ grain: 'all' } | { grain: 'day' | 'month'; from?: string; to?: string } | { grain: 'raw'; from?: Date; to?: Date });

const DAY = 86_400_000;
const floorDay = (t: Date) => new Date(Math.floor(t.getTime() / DAY) * DAY);
const ceilDay = (t: Date) => new Date(Math.ceil(t.getTime() / DAY) * DAY);
const floorMonth = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
const nextMonth = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
const ceilMonth = (t: Date) => (floorMonth(t).getTime() === t.getTime() ? t : nextMonth(t));
const iso = (t: Date) => t.toISOString().slice(0, 10);
const days = (a: Date, b: Date) => (b.getTime() - a.getTime()) / DAY;

function push(out: Segment[], sign: 1 | -1, grain: 'raw' | 'day' | 'month', from?: Date, to?: Date): void {
  if (from && to && to <= from) return;
  if (grain === 'raw') out.push({ sign, grain, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  else out.push({ sign, grain, ...(from ? { from: iso(from) } : {}), ...(to ? { to: iso(to) } : {}) });
}

/** [from, to) within one UTC month as whole days and raw edges (unbounded where undefined). */
function byDays(out: Segment[], from?: Date, to?: Date): void {
  const dayLo = from && ceilDay(from);
  const dayHi = to && floorDay(to);
  if (from && to && dayLo! >= dayHi!) return push(out, 1, 'raw', from, to);
  if (from) push(out, 1, 'raw', from, dayLo);
  push(out, 1, 'day', dayLo, dayHi);
  if (to) push(out, 1, 'raw', dayHi, to);
}

/**
 * Splits [from, to) into signed raw edges, whole UTC days and whole UTC months (unbounded where undefined).
 * The partial month at each end is read as its days, or as the whole month less the days outside the range,
 * whichever reads fewer days.
 */
export function segments(from?: Date, to?: Date): Segment[] {
  if (!from && !to) return [{ sign: 1, grain: 'all' }];
  if (from && to && to <= from) return [];
  const out: Segment[] = [];
  if (from && to && floorMonth(from).getTime() === floorMonth(new Date(to.getTime() - 1)).getTime()) {
    byDays(out, from, to);
    return out;
  }
  const monLo = from && ceilMonth(from);
  const monHi = to && floorMonth(to);
  if (from && monLo! > from) {
    const start = floorMonth(from);
    if (days(ceilDay(from), monLo!) <= days(start, floorDay(from))) byDays(out, from, monLo);
    else {
      push(out, 1, 'month', start, monLo);
      push(out, -1, 'day', start, floorDay(from));
      push(out, -1, 'raw', floorDay(from), from);
    }
  }
  push(out, 1, 'month', monLo, monHi);
  if (to && monHi! < to) {
    const end = nextMonth(monHi!);
    if (days(monHi!, floorDay(to)) <= days(ceilDay(to), end)) byDays(out, monHi, to);
    else {
      push(out, 1, 'month', monHi, end);
      push(out, -1, 'raw', to, ceilDay(to));
      push(out, -1, 'day', ceilDay(to), end);
    }
  }
  return out;
}

