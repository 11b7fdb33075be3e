import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo } from '../../src/core/dojo.js';
import { seededRandom } from '../../src/core/selection.js';
import { backend } from '../helpers/db.js';
import { DAY, harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

const rounds = (h: Harness) =>
  h.t.db.selectFrom('round').select(['id', 'question_id', 'local_date', 'opened_at', 'status', 'closed_at']).where('kind', '=', 'qotd').orderBy('id').execute();

describe(`the scheduler on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('posts a 09:00 Europe/Berlin question at 09:00 local on both sides of the daylight-saving change', async () => {
    h = await harness({ start: new Date('2027-03-26T12:00:00Z') }); // Friday; clocks go forward Sunday 28 March
    const admin = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(admin, 'schedule set days:daily time:09:00 tz:Europe/Berlin window:1h');
    await h.advance(4 * DAY);
    const opened = (await rounds(h)).map((r) => [r.local_date, r.opened_at.toISOString()]);
    expect(opened).toEqual([
      ['2027-03-27', '2027-03-27T08:00:00.000Z'], // CET, UTC+1
      ['2027-03-28', '2027-03-28T07:00:00.000Z'], // CEST, UTC+2: still 09:00 in Berlin
      ['2027-03-29', '2027-03-29T07:00:00.000Z'],
      ['2027-03-30', '2027-03-30T07:00:00.000Z'],
    ]);
  });

  it('accepts a cron expression for power users and explains a bad one', async () => {
    h = await harness({ start: new Date('2026-11-23T00:00:00Z') }); // Monday
    const admin = h.user('ada', { isPlatformAdmin: true });
    const bad = await h.cmd(admin, 'schedule set cron:"0 9 * *"');
    expect(bad.reply?.text).toBe('cron must have 5 fields: minute hour day-of-month month day-of-week, like "0 9 * * 1-5".');
    const ok = await h.said(admin, 'schedule set cron:"30 14 * * 2,4" tz:America/New_York');
    expect(ok).toMatch(/cron "30 14 \* \* 2,4" \(America\/New_York\).*Next: Tue 24 Nov, 14:30 EST\./);
    await h.advance(7 * DAY);
    expect((await rounds(h)).map((r) => r.opened_at.toISOString())).toEqual(['2026-11-24T19:30:00.000Z', '2026-11-26T19:30:00.000Z']);
  });

  it('explains a bad schedule option with that option alone and an example, not the whole usage line', async () => {
    h = await harness();
    const admin = h.user('ada', { isPlatformAdmin: true });
    expect((await h.cmd(admin, 'schedule set time:25:00')).reply?.text).toBe('time must be HH:MM on a 24-hour clock (got "25:00").\nExample: /dojo schedule set time:09:00');
    expect((await h.cmd(admin, 'schedule set window:2y')).reply?.text).toBe('window must be a duration from 5m to 7d, like 30m or 1d (got "2y").\nExample: /dojo schedule set window:8h');
    expect((await h.cmd(admin, 'schedule set tz:Mars/Base')).reply?.text).toBe('"Mars/Base" is not a time zone I know; use an IANA name like America/New_York.\nExample: /dojo schedule set tz:Europe/Berlin');
    expect((await h.cmd(admin, 'schedule set colour:red')).reply?.text).toMatch(/^"colour" is not an option of schedule; options: days, time, .*\nExample: \/dojo schedule set days:mon-fri time:09:00 tz:Europe\/Berlin$/);
    for (const bad of ['time:25:00', 'window:2y', 'tz:Mars/Base', 'blind:maybe', 'days:someday', 'kind:essay', 'difficulty:hard']) {
      expect((await h.cmd(admin, `schedule set ${bad}`)).reply!.text.length).toBeLessThan(160);
    }
    expect((await h.cmd(admin, 'schedule set topics:cooking')).reply?.text).toMatch(/^I have no questions on "cooking"\. (Closest: [^.]+\. )?Areas: .*databases.*\nExample: \/dojo schedule set topics:/);
    expect((await h.cmd(admin, 'schedule show')).reply?.text).toMatch(/^No question of the day here yet/);
  });

  it('never repeats a question in a channel until its filtered pool is exhausted', async () => {
    h = await harness({ start: new Date('2026-11-23T00:00:00Z') });
    const admin = h.user('ada', { isPlatformAdmin: true });
    const pool = await h.t.db.selectFrom('question').select('id').where('status', '=', 'active').where(({ eb, val }) => eb(val('deadlocks'), '=', eb.fn.any('topics'))).execute();
    expect(pool.length).toBeGreaterThanOrEqual(2);
    await h.cmd(admin, 'schedule set days:daily time:08:00 tz:UTC topics:deadlocks window:1h');
    await h.advance((pool.length * 2 + 1) * DAY);
    const ids = (await rounds(h)).map((r) => r.question_id);
    const firstCycle = ids.slice(0, pool.length);
    expect(new Set(firstCycle).size).toBe(pool.length);
    expect(new Set(firstCycle)).toEqual(new Set(pool.map((p) => p.id)));
    // The second cycle starts over with the questions used longest ago.
    expect(ids.length).toBeGreaterThan(pool.length);
    expect(firstCycle).toContain(ids[pool.length]);
  });

  it('picks the same questions for the same seed', async () => {
    // Three teams in one database (their histories are separate), two with the same seed.
    h = await harness({ start: new Date('2026-11-23T00:00:00Z'), seed: 11 });
    const picks: number[][] = [];
    for (const [id, seed] of [['S1', 11], ['S2', 11], ['S3', 12]] as const) {
      const t = await harness({ db: h.t, start: new Date('2026-11-23T00:00:00Z'), seed, team: { platform: 'memory', id } });
      await t.cmd(t.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC window:1h');
      await t.advance(4 * DAY);
      const rows = await h.t.db.selectFrom('round').select('question_id').where('team_id', '=', `memory:${id}`).orderBy('id').execute();
      picks.push(rows.map((r) => r.question_id));
    }
    expect(picks[0]).toHaveLength(4);
    expect(picks[0]).toEqual(picks[1]);
    expect(picks[0]).not.toEqual(picks[2]);
  });

  it('closes an overdue round at the first tick after a restart, once', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC kind:open window:1h');
    await h.advance(1 * HOUR + 1 * MIN); // posted at 08:00, open until 09:00
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    await h.reply(h.user('bob'), card.ref, 'My answer before the outage.');
    // The process dies; three hours later a new one starts on the same database.
    const clock = new ManualClock(new Date('2026-11-23T11:00:00Z'));
    const chat = new MemoryChat();
    const restarted = createDojo({ db: h.t.db, chat, clock, log: pino({ level: 'silent' }), random: seededRandom(1) });
    await restarted.tick();
    await restarted.tick();
    const closes = chat.sent.filter((s) => s.kind === 'reply' && /^Time's up/.test(s.text));
    expect(closes).toHaveLength(1);
    expect(closes[0]!.to).toBe(card.ref);
    expect(closes[0]!.text).toContain('1 answer from bob');
    expect((await rounds(h))[0]).toMatchObject({ status: 'closed', closed_at: new Date('2026-11-23T11:00:00Z') });
  });

  it('two instances on one database never double-post or double-close', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC window:1h');
    const other = backend === 'postgres' ? await h.t.another() : undefined;
    const chatB = new MemoryChat();
    const b = createDojo({ db: other?.db ?? h.t.db, chat: chatB, clock: h.clock, log: pino({ level: 'silent' }), random: seededRandom(2) });
    try {
      for (let step = 0; step < 6 * 24; step++) {
        h.clock.set(new Date(h.clock.now().getTime() + HOUR));
        await Promise.all([h.dojo.tick(), b.tick(), h.dojo.tick(), b.tick()]);
      }
    } finally {
      await other?.close();
    }
    const all = [...h.chat.sent, ...chatB.sent];
    const posts = all.filter((s) => s.kind === 'post' && !!s.thread);
    const closes = all.filter((s) => s.kind === 'reply' && /^Time's up/.test(s.text));
    expect((await rounds(h)).map((r) => r.local_date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    expect(posts).toHaveLength(6);
    expect(closes).toHaveLength(6);
  });

  it('retries a failed post with backoff, and after the bot was removed pauses the schedule and tells the admins', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const admin = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(admin, 'schedule set days:daily time:08:00 tz:UTC window:1h');
    h.chat.failNext('unavailable', 2, ['post']);
    await h.advance(1 * HOUR);
    expect(h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread)).toHaveLength(0);
    await h.advance(2 * MIN); // 30 s, then 60 s later: the third attempt goes through
    expect(h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread)).toHaveLength(1);

    h.chat.failNext('not_in_channel', 1, ['post']);
    await h.advance(1 * DAY);
    const dm = h.chat.sent.find((s) => s.kind === 'dm' && s.to === 'U_ada');
    expect(dm?.text).toBe("I couldn't post the question of the day in #c1 (I'm not in that channel), so I paused its schedule. Add me back to the channel, then run /dojo schedule set there to resume.");
    expect((await h.cmd(admin, 'schedule show')).reply?.text).toMatch(/Paused \(posting failed: I'm not in that channel\)\./);
    await h.advance(3 * DAY);
    expect(h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread)).toHaveLength(1);
    // Turning it back on resumes the next day.
    await h.cmd(admin, 'schedule set');
    await h.advance(1 * DAY);
    expect(h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread)).toHaveLength(2);
  });
});
