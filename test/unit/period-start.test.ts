/**
 * periodStart remembers the periods it worked out (a stats chart asks for 13 weeks at every command):
 * what it answers from memory must be what it computes afresh, for any instant, in zones whose clocks
 * jump at midnight, and in any order of asking (edges first, then inside, then backwards).
 */
import { describe, expect, it } from 'vitest';
import { computePeriodStart, localParts, periodStart } from '../../src/core/time.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
const HOUR = 3_600_000;

/** Instants over two years around every zone's changes: each hour's edges and a pseudo-random minute. */
function instants(): Date[] {
  const out: Date[] = [];
  let seed = 7;
  const from = Date.UTC(2025, 0, 1);
  for (let t = from; t < from + 2 * 366 * 24 * HOUR; t += 11 * HOUR) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    out.push(new Date(t), new Date(t - 1), new Date(t + (seed % HOUR)));
  }
  return out;
}

describe('periodStart from memory', () => {
  for (const period of ['week', 'month'] as const) {
    it(`answers every ${period} exactly as computed afresh, asked forwards and then backwards`, () => {
      const all = instants();
      const wrong: string[] = [];
      for (const zone of ZONES) {
        for (const at of [...all, ...all.slice().reverse()]) {
          const [got, fresh] = [periodStart(at, zone, period), computePeriodStart(at, zone, period)];
          if (got.getTime() !== fresh.getTime()) wrong.push(`${zone} ${at.toISOString()}: ${got.toISOString()} not ${fresh.toISOString()}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('gives a start at or before the instant, on a local Monday or first of the month', () => {
    for (const zone of ZONES) {
      for (const at of instants().filter((_, i) => i % 7 === 0)) {
        const week = periodStart(at, zone, 'week');
        const month = periodStart(at, zone, 'month');
        expect(week.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(month.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(localParts(week, zone).weekday).toBe(1);
        expect(localParts(month, zone).day).toBe(1);
        // The instant just before the start is in the previous period.
        expect(periodStart(new Date(week.getTime() - 1), zone, 'week').getTime()).toBeLessThan(week.getTime());
      }
    }
  });
});
