/** Platform roles (Discord server roles, Slack user groups) mapped to dojo roles by an admin. */
import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { DAY, harness, HOUR, type Harness } from '../helpers/dojo.js';

describe(`platform roles mapped to dojo roles on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('makes everyone with a Discord role a mentor once an admin maps it, and stops when unmapped', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    const mo = h.user('mo', { roleIds: ['R_MENTORS'] });
    expect((await h.cmd(mo, 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);

    expect((await h.cmd(mo, 'mentor add <@&R_MENTORS|Mentors>')).reply?.text).toMatch(/^Sorry, only admins can do that/);
    const mapped = await h.seen(ada, 'mentor add "<@&R_MENTORS|Mentors>"');
    expect(mapped).toMatchObject({ text: 'Everyone with the role Mentors is now a mentor here.', where: 'channel' });
    expect((await h.cmd(mo, 'review')).reply?.text).toBe('No answers are waiting for review. Nice work!');
    expect((await h.cmd(mo, 'schedule off')).reply?.text).toMatch(/^Sorry, only admins can do that/);
    expect((await h.cmd(mo, 'mentor list')).reply?.text).toMatch(/Everyone in 1 server role or group is a mentor too\.$/);

    expect((await h.cmd(ada, 'mentor remove <@&R_MENTORS>')).reply?.text).toBe('Done: that role no longer makes anyone a mentor (people appointed one by one stay).');
    expect((await h.cmd(mo, 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);
  });

  it('reminds the holders of a mapped role of answers waiting for review, and names them as mentors', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    const mo = h.user('mo', { roleIds: ['R_MENTORS'] });
    const lee = h.user('lee', { roleIds: ['R_LEADS'] });
    await h.cmd(ada, 'mentor add "<@&R_MENTORS|Mentors>"');
    await h.cmd(ada, 'mentor add <@&R_LEADS|Leads> role:admin');
    // They are seen with their roles once; the reminder runs later, outside any event of theirs.
    await h.cmd(mo, 'help');
    await h.cmd(lee, 'help');
    expect((await h.cmd(ada, 'mentor list')).reply?.text).toMatch(/^Mentors: mo\.\nAdmins: ada, lee\./);
    await h.cmd(ada, 'schedule set days:daily time:08:00 tz:UTC kind:open categories:technical window:1h');
    await h.advance(HOUR);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    await h.reply(h.user('bob'), card.ref, 'An answer nobody has reviewed.');
    await h.advance(2 * DAY);
    const reminded = h.chat.sent.filter((s) => s.kind === 'dm' && /waited over a day/.test(s.text)).map((s) => s.to);
    expect(reminded.sort()).toEqual(['U_ada', 'U_lee', 'U_mo']);

    // Appointed through the role, not by name: removing them by name says where to change it.
    expect((await h.cmd(ada, 'mentor remove <@U_mo>')).reply?.text).toBe('mo is a mentor or an admin through a server role or group. Take them out of it, or unmap it: /dojo mentor remove @role.');
    // Seen again without the role, mo is no longer a mentor anywhere, the reminders included.
    const moWithout = h.user('mo', { roleIds: [] });
    expect((await h.cmd(moWithout, 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);
    expect((await h.cmd(ada, 'mentor list')).reply?.text).toMatch(/^Mentors: nobody yet\./);
  });

  it('pings at most 20 mentors by name when a round closes with answers to review, and counts the rest', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(ada, 'mentor add "<@&R_MENTORS|Mentors>"');
    for (let i = 0; i < 25; i++) await h.cmd(h.user(`m${String(i).padStart(2, '0')}`, { roleIds: ['R_MENTORS'] }), 'help');
    await h.cmd(ada, 'schedule set days:daily time:08:00 tz:UTC kind:open categories:technical window:1h');
    await h.advance(HOUR);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    await h.reply(h.user('bob'), card.ref, 'An answer for the mentors.');
    await h.advance(2 * HOUR);
    const note = h.chat.sent.find((s) => /waiting for review/.test(s.text))!;
    const mention = note.message.blocks.find((b) => b.type === 'mention');
    expect(mention?.type === 'mention' && mention.userIds.length).toBe(20);
    expect(note.text).toMatch(/and 5 more mentors: 1 answer waiting for review\.$/m);
  });

  it('maps a Slack user group to admins, and refuses the everyone role', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    const lee = h.user('lee', { roleIds: ['S0LEADS'] });
    expect(await h.seen(ada, 'mentor add <!subteam^S0LEADS|@leads> role:admin')).toMatchObject({ text: 'Everyone with the role leads is now an admin here.', where: 'channel' });
    expect(await h.seen(lee, 'mentor add <@U_kim>')).toMatchObject({ text: '@U_kim is now a mentor.', where: 'channel' });
    // On Discord the @everyone role's id is the server's own.
    expect((await h.cmd(ada, 'mentor add <@&T1>')).reply?.text).toBe('That role is everyone on the server. Appoint people, or a smaller role.');
    expect((await h.cmd(ada, 'mentor remove <@&R_NONE>')).reply?.text).toBe('Nobody is a mentor or an admin here through that role.');
  });
});
