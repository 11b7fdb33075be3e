/**
 * Roles through the front door: admin-only commands, mentor-only reviews, appointed admins, the mentor
 * list and a help that shows each person only what they may do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

const ADMIN_ONLY = 'Sorry, only admins can do that. An admin can appoint more with /dojo mentor add @someone role:admin.';
const MENTOR_ONLY = 'Sorry, only mentors can review answers. An admin can appoint mentors with /dojo mentor add @someone.';

/** A command's Outcome with what the person saw: the private reply, else what it posted in the channel. */
type Result = Outcome & { said?: string };
async function run(h: Harness, who: UserRef, text: string, channel?: string): Promise<Result> {
  const mark = h.chat.sent.length;
  const out = await h.cmd(who, text, channel);
  return { ...out, said: out.reply?.text ?? h.chat.since(mark).map((m) => m.text).join('\n') };
}

/** Every admin-only command, and what its success looks like to the person who ran it. */
const ADMIN_COMMANDS: { text: string; ok: (o: Result) => void }[] = [
  { text: 'schedule set days:mon-fri time:09:00 tz:UTC', ok: (o) => expect(o.said).toMatch(/^Saved\. Question of the day: Mon–Fri at 09:00 UTC/) },
  { text: 'schedule off', ok: (o) => expect(o.said).toMatch(/^The question of the day is off in this channel/) },
  { text: 'mentor add <@U_gus>', ok: (o) => expect(o.said).toMatch(/now a mentor/) },
  { text: 'mentor remove <@U_gus>', ok: (o) => expect(o.reply?.text).toMatch(/no longer a mentor/) },
  { text: 'season start Sprint until:2026-12-31', ok: (o) => expect(o.said).toMatch(/^Season "Sprint" has started!/) },
  { text: 'season end', ok: (o) => expect(o.reply?.text).toBe('"Sprint" has ended; the final board is posted.') },
  {
    text: 'export',
    ok: (o) => {
      expect(o.file?.name).toMatch(/^dojo-export-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(o.file?.content.split('\n')[0]).toMatch(/^answered_at,/);
    },
  },
];

describe(`roles on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  beforeAll(async () => {
    h = await harness();
    ada = h.user('ada', { isPlatformAdmin: true });
  });
  afterAll(async () => h.close());

  const seasons = () => h.t.db.selectFrom('season').select('id').execute();
  const schedules = () => h.t.db.selectFrom('schedule').select(['id', 'enabled']).execute();
  const roleOf = async (userId: string) => (await h.t.db.selectFrom('member').select('role').where('platform_user_id', '=', userId).executeTakeFirst())?.role;

  it('politely refuses every admin-only command to a member and to a mentor, changing nothing', async () => {
    const bob = h.user('bob');
    const mo = h.user('mo');
    await h.cmd(ada, 'mentor add <@U_mo>');
    await h.cmd(mo, 'help'); // mo appears once, so the refusals below are for a known mentor
    for (const who of [bob, mo]) {
      for (const { text } of ADMIN_COMMANDS) {
        const out = await h.cmd(who, text);
        expect(out.reply, `${who.name}: ${text}`).toEqual({ text: ADMIN_ONLY, visibility: 'ephemeral' });
        expect(out.file).toBeUndefined();
      }
      // Appointing oneself an admin is an admin command too.
      expect((await h.cmd(who, `mentor add <@${who.id}> role:admin`)).reply?.text).toBe(ADMIN_ONLY);
    }
    expect(await seasons()).toEqual([]);
    expect(await schedules()).toEqual([]);
    expect(await roleOf('U_bob')).toBe('member');
    expect(await roleOf('U_mo')).toBe('mentor');
    expect(await roleOf('U_gus')).toBeUndefined();
  });

  it('lets a platform admin run every admin-only command', async () => {
    for (const { text, ok } of ADMIN_COMMANDS) ok(await run(h, ada, text));
    expect(await seasons()).toHaveLength(1);
    expect(await schedules()).toEqual([expect.objectContaining({ enabled: false })]);
  });

  it('lets a member an admin appointed with role:admin run them too, until the admin removes them', async () => {
    const cy = h.user('cy');
    expect((await h.cmd(cy, 'export')).reply?.text).toBe(ADMIN_ONLY);
    const appointed = await h.seen(ada, 'mentor add <@U_cy> role:admin');
    expect(appointed).toMatchObject({ text: 'cy is now an admin.', where: 'channel' });
    for (const { text, ok } of ADMIN_COMMANDS) ok(await run(h, cy, text, 'C2'));
    // An appointed admin appoints others, and the stored role is what counts for them.
    // dee has not used the bot yet, so has no name here: the channel learns who by a mention.
    expect(await h.seen(cy, 'mentor add <@U_dee>')).toMatchObject({ text: '@U_dee is now a mentor.', blocks: [{ type: 'mention', userIds: ['U_dee'], text: 'is now a mentor.' }], where: 'channel' });
    expect(await roleOf('U_dee')).toBe('mentor');
    expect((await h.cmd(ada, 'mentor remove <@U_cy>')).reply?.text).toBe('cy is no longer an admin.');
    expect((await h.cmd(ada, 'mentor remove <@U_cy>')).reply?.text).toBe('cy is not a mentor or an admin.');
    expect((await h.cmd(ada, 'mentor remove <@U_ada>')).reply?.text).toBe('They are a workspace admin, so they stay an admin here.');
    expect((await h.cmd(cy, 'export')).reply?.text).toBe(ADMIN_ONLY);
    expect((await h.said(cy, 'schedule set days:mon time:10:00', 'C3'))).toBe(ADMIN_ONLY);
  });

  it('refuses reviews to members and opens the review form for mentors and admins', async () => {
    const bob = h.user('bob');
    const eve = h.user('eve');
    const mo = h.user('mo');
    // An open answer waiting for review: a one-question open quiz that bob answers and that closes.
    await h.cmd(eve, 'quiz kind:open count:1 seconds:60', 'C4');
    const thread = h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread && s.to === 'C4').at(-1)!.ref;
    await h.reply(bob, thread, 'An index trades write speed and space for faster reads.', undefined, 'C4');
    await h.advance(60_000);

    const refused = await h.cmd(eve, 'review');
    expect(refused).toEqual({ reply: { text: MENTOR_ONLY, visibility: 'ephemeral' } });
    expect((await h.click(eve, 'review:next')).reply?.text).toBe(MENTOR_ONLY);
    expect((await h.submit(eve, 'review:1', { feedback: 'x' })).reply?.text).toBe(MENTOR_ONLY);
    expect(await h.t.db.selectFrom('review').select('id').execute()).toEqual([]);

    const mentor = await h.cmd(mo, 'review');
    expect(mentor.modal?.title).toBe('Review an answer');
    expect(mentor.modal?.intro).toContainEqual({ type: 'quote', text: 'An index trades write speed and space for faster reads.', author: 'Their answer' });
    // The admin finds nothing more: mo holds the only pending answer.
    expect((await h.cmd(ada, 'review')).reply?.text).toBe('No answers are waiting for review. Nice work!');
  });

  it('lists mentors and admins (appointed and platform admins) to anyone', async () => {
    const hal = h.user('hal');
    await h.cmd(ada, 'mentor add <@U_ivy> role:admin');
    await h.cmd(h.user('ivy'), 'help'); // named when they first appear
    await h.cmd(h.user('dee'), 'help');
    const out = await h.cmd(hal, 'mentor list');
    expect(out.reply).toEqual({ text: 'Mentors: dee, mo.\nAdmins: ada, ivy.', visibility: 'ephemeral' });
  });

  it('shows each person only the commands they may use in help', async () => {
    const text = async (u: UserRef) => (await h.cmd(u, 'help')).reply?.text ?? '';
    const member = await text(h.user('hal'));
    const mentor = await text(h.user('mo'));
    const admin = await text(ada);
    const appointed = await text(h.user('ivy'));
    expect(member).toMatch(/^Here is what you can do \(you are a member\):/);
    for (const line of ['/dojo quiz', '/dojo leaderboard', '/dojo stats', '/dojo forget-me', '/dojo add-question']) expect(member).toContain(line);
    expect(member).toContain('/dojo export mine');
    for (const line of ['/dojo schedule set', '/dojo export —', '/dojo review', '/dojo season start', '/dojo mentor add']) expect(member).not.toContain(line);
    expect(mentor).toMatch(/^Here is what you can do \(you are a mentor\):/);
    expect(mentor).toContain('/dojo review');
    expect(mentor).not.toContain('/dojo schedule set');
    expect(mentor).not.toContain('/dojo export —');
    for (const t of [admin, appointed]) {
      expect(t).toMatch(/^Here is what you can do \(you are an admin\):/);
      for (const line of ['/dojo schedule set', '/dojo export', '/dojo review', '/dojo season start', '/dojo mentor add']) expect(t).toContain(line);
    }
  });
});
