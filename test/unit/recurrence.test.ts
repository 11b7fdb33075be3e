import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronProblem, nextRun, nextRuns } from '../../src/core/recurrence.js';
import { localDate, localParts } from '../../src/core/time.js';

const iso = (d: Date | undefined) => d?.toISOString();
const NOV23 = new Date('2026-11-23T00:00:00Z'); // a Monday

describe('schedule recurrence (croner)', () => {
  it('runs "L" on the last day of each month, in the schedule zone', () => {
    const rule = { days: [], time: '', timezone: 'Europe/Berlin', cron: '0 9 L * *' };
    expect(cronProblem(rule.cron, rule.timezone, NOV23)).toBeUndefined();
    expect(nextRuns(rule, NOV23, 3).map(iso)).toEqual(['2026-11-30T08:00:00.000Z', '2026-12-31T08:00:00.000Z', '2027-01-31T08:00:00.000Z']);
  });

  it('runs "#" on the nth weekday of the month', () => {
    const rule = { days: [], time: '', timezone: 'America/New_York', cron: '30 8 * * 5#2' };
    expect(cronProblem(rule.cron, rule.timezone, NOV23)).toBeUndefined();
    expect(nextRuns(rule, NOV23, 2).map(iso)).toEqual(['2026-12-11T13:30:00.000Z', '2027-01-08T13:30:00.000Z']);
  });

  it('keeps 08:30 New York time across the end of summer time', () => {
    const rule = { days: [], time: '', timezone: 'America/New_York', cron: '30 8 * * *' };
    expect(nextRuns(rule, new Date('2026-10-31T00:00:00Z'), 2).map(iso)).toEqual(['2026-10-31T12:30:00.000Z', '2026-11-01T13:30:00.000Z']);
  });

  it('runs a time skipped by the spring change just after the gap, and a repeated autumn time once', () => {
    const rule = { days: [1, 2, 3, 4, 5, 6, 7], time: '02:30', timezone: 'Europe/Berlin' };
    expect(nextRuns(rule, new Date('2027-03-27T12:00:00Z'), 2).map(iso)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    expect(nextRuns(rule, new Date('2027-10-30T12:00:00Z'), 2).map(iso)).toEqual(['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
  });

  it('turns days and a time into weekday runs', () => {
    const rule = { days: [1, 3, 7], time: '09:15', timezone: 'UTC' };
    expect(nextRuns(rule, NOV23, 4).map(iso)).toEqual(['2026-11-23T09:15:00.000Z', '2026-11-25T09:15:00.000Z', '2026-11-29T09:15:00.000Z', '2026-11-30T09:15:00.000Z']);
  });

  it('skips a local date that already had its question', () => {
    const rule = { days: [1, 2, 3, 4, 5, 6, 7], time: '11:00', timezone: 'Europe/Berlin' };
    const at = new Date('2026-11-23T09:00:00Z'); // 10:00 in Berlin, before today's 11:00
    expect(iso(nextRun(rule, at))).toBe('2026-11-23T10:00:00.000Z');
    expect(iso(nextRun(rule, at, new Set(['2026-11-23'])))).toBe('2026-11-24T10:00:00.000Z');
  });

  it('refuses a cron that fires more than once a day, naming the two times', () => {
    expect(cronProblem('0 9,15 * * *', 'UTC', NOV23)).toMatch(/^"0 9,15 \* \* \*" runs more than once a day \(09:00 and 15:00\), but only one question of the day posts a day/);
    expect(cronProblem('*/30 9 * * 1-5', 'UTC', NOV23)).toMatch(/more than once a day \(09:00 and 09:30\)/);
  });

  it('refuses what does not parse or never runs, and accepts names', () => {
    expect(cronProblem('0 9 * *')).toMatch(/^cron must have 5 fields/);
    expect(cronProblem('61 9 * * *')).toMatch(/^"61 9 \* \* \*" is not a valid cron expression \(Invalid value for minute: 61\)/);
    expect(cronProblem('0 9 31 2 *', 'UTC', NOV23)).toMatch(/never runs/);
    expect(cronProblem('0 9 * * MON-FRI', 'UTC', NOV23)).toBeUndefined();
  });

  it('runs a daily time once a local day at that local time, or just after a spring-forward gap, in any zone', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Auckland'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), (timezone, hour, minute, from) => {
        const rule = { days: [1, 2, 3, 4, 5, 6, 7], time: `${hour}:${String(minute).padStart(2, '0')}`, timezone };
        const runs = nextRuns(rule, from, 8);
        expect(runs).toHaveLength(8);
        expect(new Set(runs.map((r) => localDate(r, timezone))).size).toBe(8);
        for (const run of runs) {
          const p = localParts(run, timezone);
          if (p.hour * 60 + p.minute === hour * 60 + minute) continue;
          // Not shown that day: the clocks jumped over it, so the minute before the run was earlier
          // (on the day before, when the jump is at midnight as in Santiago).
          const before = new Date(run.getTime() - 60_000);
          const b = localParts(before, timezone);
          if (localDate(before, timezone) === localDate(run, timezone)) expect(b.hour * 60 + b.minute).toBeLessThan(hour * 60 + minute);
          expect(p.hour * 60 + p.minute).toBeGreaterThan(hour * 60 + minute);
        }
      }),
      { numRuns: 300, examples: [['America/Santiago', 0, 49, new Date('2028-08-31T08:35:17Z')]] },
    );
  });
});
