/** What a schedule promises (its next run, its pool, its zone) is what happens. */
import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { DAY, harness, HOUR, type Harness } from '../helpers/dojo.js';

const qotd = (h: Harness) => h.t.db.selectFrom('round').select(['local_date', 'opened_at']).where('kind', '=', 'qotd').orderBy('id').execute();
const posted = (h: Harness) => qotd(h).then((rows) => rows.map((r) => [r.local_date, r.opened_at.toISOString()]));

describe(`schedule promises on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('a schedule switched on after today’s question promises tomorrow, and posts then', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') }); // Monday
    const admin = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(admin, 'schedule set days:daily time:08:00 tz:UTC window:1h');
    await h.advance(2 * HOUR); // posted at 08:00
    await h.cmd(admin, 'schedule off');
    const again = await h.said(admin, 'schedule set time:11:00');
    expect(again).toMatch(/Next: Tue 24 Nov, 11:00 UTC \(today already had its question here\)\./);
    await h.advance(DAY + 3 * HOUR); // to Tuesday 12:00
    expect(await posted(h)).toEqual([
      ['2026-11-23', '2026-11-23T08:00:00.000Z'],
      ['2026-11-24', '2026-11-24T11:00:00.000Z'],
    ]);
  });

  it('refuses a cron that fires twice a day, since one question posts a day', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const admin = h.user('ada', { isPlatformAdmin: true });
    const reply = await h.cmd(admin, 'schedule set cron:"0 9,15 * * *"');
    expect(reply.reply).toMatchObject({ visibility: 'ephemeral' });
    expect(reply.reply?.text).toMatch(/^"0 9,15 \* \* \*" runs more than once a day \(09:00 and 15:00\), but only one question of the day posts a day: give one time/);
    expect(await h.t.db.selectFrom('schedule').select('id').execute()).toEqual([]);
  });

  it('runs a cron with L (last day of the month) in the schedule’s zone', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const set = await h.said(h.user('ada', { isPlatformAdmin: true }), 'schedule set cron:"0 9 L * *" tz:Europe/Berlin window:1h');
    expect(set).toMatch(/Next: Mon 30 Nov, 09:00 CET\./);
    await h.advance(40 * DAY);
    expect(await posted(h)).toEqual([
      ['2026-11-30', '2026-11-30T08:00:00.000Z'],
      ['2026-12-31', '2026-12-31T08:00:00.000Z'],
    ]);
  });

  it('runs a cron with # (the second Friday) across the end of summer time', async () => {
    h = await harness({ start: new Date('2026-10-01T00:00:00Z') });
    const set = await h.said(h.user('ada', { isPlatformAdmin: true }), 'schedule set cron:"30 8 * * 5#2" tz:America/New_York window:1h');
    expect(set).toMatch(/Next: Fri 9 Oct, 08:30 EDT\./);
    await h.advance(45 * DAY);
    expect(await posted(h)).toEqual([
      ['2026-10-09', '2026-10-09T12:30:00.000Z'], // EDT, UTC-4
      ['2026-11-13', '2026-11-13T13:30:00.000Z'], // EST, UTC-5: still 08:30 in New York
    ]);
  });

  it('stores and shows the canonical zone name, and warns about EST', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const admin = h.user('ada', { isPlatformAdmin: true });
    expect(await h.said(admin, 'schedule set tz:europe/berlin')).toMatch(/at 09:00 Europe\/Berlin ·/);
    expect(await h.said(admin, 'schedule set tz:utc')).toMatch(/at 09:00 UTC ·/);
    expect((await h.t.db.selectFrom('schedule').select('timezone').executeTakeFirstOrThrow()).timezone).toBe('UTC');
    const est = await h.said(admin, 'schedule set tz:EST');
    expect(est).toMatch(/at 09:00 EST ·/);
    expect(est).toMatch(/\nNote: EST is a fixed offset \(UTC−5\) that never changes for summer time; for local time there, use tz:America\/New_York\.$/);
  });

  it('refuses a schedule whose filters match no question', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    // Whatever the bank holds, make sure no beginner choice question on graphql is active.
    await h.t.db.updateTable('question').set({ status: 'retired' }).where('kind', '=', 'choice').where('difficulty', '=', 'beginner').where(({ eb, val }) => eb(val('graphql'), '=', eb.fn.any('topics'))).execute();
    const reply = await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set topics:graphql kind:choice difficulty:beginner');
    expect(reply.reply?.text).toBe('No question matches all of beginner, choice, on graphql, so this schedule would have nothing to post. Widen one of them, like difficulty:rotating or kind:mixed.');
    expect(await h.t.db.selectFrom('schedule').select('id').execute()).toEqual([]);
  });

  it('says how many questions a schedule draws from and the day they start repeating', async () => {
    h = await harness({ start: new Date('2026-11-23T00:00:00Z') });
    const admin = h.user('ada', { isPlatformAdmin: true });
    const pool = await h.t.db.selectFrom('question').select('id').where('status', '=', 'active').where(({ eb, val }) => eb(val('deadlocks'), '=', eb.fn.any('topics'))).execute();
    const n = pool.length;
    const firstRepeat = new Date(Date.UTC(2026, 10, 23 + n)); // daily from Monday 23 Nov: run n+1 is a repeat
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(firstRepeat);
    const set = await h.said(admin, 'schedule set days:daily time:08:00 tz:UTC topics:deadlocks window:1h');
    expect(set).toMatch(new RegExp(`Next: Mon 23 Nov, 08:00 UTC\\. Draws from ${n} questions, repeating from ${day}\\.$`));
    await h.advance(n * DAY);
    expect((await h.cmd(admin, 'schedule show')).reply?.text).toContain(` · draws from ${n} questions, all asked here before (they repeat, the longest ago first). Next: `);
  });

  it('keeps to a fixed difficulty once its questions run out, repeating rather than posting another level', async () => {
    h = await harness({ start: new Date('2026-11-23T00:00:00Z') });
    const beginners = await h.t.db.selectFrom('question').select('id').where('status', '=', 'active').where('difficulty', '=', 'beginner').where(({ eb, val }) => eb(val('deadlocks'), '=', eb.fn.any('topics'))).execute();
    expect(beginners.length).toBeGreaterThan(0);
    const set = await h.said(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC topics:deadlocks difficulty:beginner window:1h');
    expect(set).toMatch(new RegExp(`Draws from ${beginners.length} questions?, repeating from `));
    await h.advance((beginners.length + 2) * DAY);
    const asked = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.difficulty').where('round.kind', '=', 'qotd').execute();
    expect(asked.length).toBe(beginners.length + 2);
    expect(new Set(asked.map((r) => r.difficulty))).toEqual(new Set(['beginner']));
  });

  it('a second schedule off says it is already off, only to the admin', async () => {
    h = await harness();
    const admin = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(admin, 'schedule set');
    expect(await h.seen(admin, 'schedule off')).toMatchObject({ where: 'channel', text: expect.stringMatching(/^The question of the day is off in this channel\./) });
    const mark = h.chat.sent.length;
    expect((await h.cmd(admin, 'schedule off')).reply).toEqual({ visibility: 'ephemeral', text: 'The question of the day is already off here. /dojo schedule set turns it back on.' });
    expect(h.chat.since(mark)).toEqual([]);
  });

  it('an unknown topic lists the areas and the closest topics', async () => {
    h = await harness();
    const text = (await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set topics:graphq')).reply?.text;
    expect(text).toMatch(/^I have no questions on "graphq"\. Closest: graphql\. Areas: .*backend.*databases/);
    expect((await h.cmd(h.user('bob'), 'quiz topic:databse')).reply?.text).toMatch(/^I have no questions on "databse"\. Closest: databases\./);
  });
});
