/** Team settings (the team's time zone) and seasons: impossible dates, past seasons and their boards. */
import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { choiceQuiz, DAY, harness, type Harness } from '../helpers/dojo.js';

describe(`team settings and past seasons on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('lets an admin set the team’s time zone, which boards and seasons then follow', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') }); // DOJO_TIMEZONE is UTC here
    const ada = h.user('ada', { isPlatformAdmin: true });
    const bob = h.user('bob');
    expect((await h.cmd(bob, 'settings')).reply?.text).toMatch(/^Team settings · time zone UTC /);
    expect((await h.cmd(bob, 'settings tz:Europe/Berlin')).reply?.text).toMatch(/^Sorry, only admins can do that\./);
    expect((await h.cmd(ada, 'settings tz:Mars/Base')).reply?.text).toBe('"Mars/Base" is not a time zone I know; use an IANA name like America/New_York.\nExample: /dojo settings tz:Europe/Berlin');
    const set = await h.seen(ada, 'settings tz:europe/berlin');
    expect(set).toMatchObject({ where: 'channel', text: "The team's time zone is now Europe/Berlin: boards' weeks and months and season dates follow it. Each question of the day keeps its own tz:." });
    expect((await h.cmd(bob, 'settings')).reply?.text).toMatch(/^Team settings · time zone Europe\/Berlin /);
    // A season "until" a date now ends at midnight Berlin time, and a new schedule starts in Berlin.
    expect(await h.said(ada, 'season start Sprint until:2026-11-29')).toMatch(/It runs until Mon 30 Nov, 00:00 CET\./);
    expect(await h.said(ada, 'schedule set')).toMatch(/Mon–Fri at 09:00 Europe\/Berlin/);
    expect(await h.said(ada, 'settings tz:EST')).toMatch(/ Note: EST is a fixed offset \(UTC−5\) .* use tz:America\/New_York\.$/);
  });

  it('refuses a season ending on a date the calendar does not have', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const ada = h.user('ada', { isPlatformAdmin: true });
    expect((await h.cmd(ada, 'season start Winter until:2027-02-30')).reply?.text).toMatch(/^2027-02-30 is not a date on the calendar\.\n/);
    expect((await h.cmd(ada, 'season start Winter until:2027-13-01')).reply?.text).toMatch(/^2027-13-01 is not a date on the calendar\.\n/);
    expect(await h.t.db.selectFrom('season').select('id').execute()).toEqual([]);
    expect(await h.said(ada, 'season start Winter until:2028-02-29')).toMatch(/^Season "Winter" has started!/);
  });

  it('lets members list past seasons with their winners and open any one’s final board', async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    const ada = h.user('ada', { isPlatformAdmin: true });
    const bob = h.user('bob');
    const cy = h.user('cy');
    await h.cmd(ada, 'season start Autumn until:2026-11-24');
    await choiceQuiz(h, ada, [[bob, true]]);
    await h.advance(2 * DAY); // Autumn ends
    await h.cmd(ada, 'season start Winter until:2026-11-28');
    await choiceQuiz(h, ada, [[cy, true], [bob, false]]);
    await h.advance(4 * DAY); // Winter ends
    await h.cmd(ada, 'season start Spring until:2027-03-01');

    const show = (await h.cmd(bob, 'season show')).reply?.text ?? '';
    expect(show).toMatch(/^Leaderboard · Spring \(until /);
    expect(show).toContain('Past seasons:\n• Winter · 25 Nov 2026 – 28 Nov 2026 · won by cy (');
    expect(show).toContain('• Autumn · 23 Nov 2026 – 24 Nov 2026 · won by bob (');
    const autumn = (await h.cmd(cy, 'season show autumn')).reply?.text ?? '';
    expect(autumn).toMatch(/^Final board · Autumn\n#\s+Member\s+Points\s+Answers\n1\s+bob\s+\d+\s+1\n/);
    expect(autumn).toContain('• Winter ·');
    expect((await h.cmd(cy, 'season show Summer')).reply?.text).toBe('No season is called "Summer". Seasons: Winter, Autumn.');
  });
});
