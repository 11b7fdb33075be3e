/**
 * The bot removed from a channel (not_in_channel): the question of the day there is paused and the
 * admins are told by DM; nothing crashes, and other channels carry on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { world, type World } from './world.js';

const ADA = { user: 'UADA', userName: 'ada' };

describe(`posting failures on Slack, ${backend}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ start: new Date('2026-11-23T07:00:00Z') });
  });
  afterAll(async () => w.close());

  it('pauses the schedule of a channel the bot is not in, tells the admins, and keeps the others going', async () => {
    await w.driver.command('schedule set days:mon-fri time:08:00 tz:UTC window:1h kind:open', { ...ADA, channel: 'C0003' });
    await w.driver.command('schedule set days:mon-fri time:08:00 tz:UTC window:1h kind:open', { ...ADA, channel: 'C0001' });
    await w.settle();
    const before = w.fake.callsOf('chat.postMessage').length; // after the "Saved." announcements
    w.fake.on('chat.postMessage', (call) => (call.args.channel === 'C0003' ? { ok: false, error: 'not_in_channel' } : w.fake.answer(call)));

    await w.advance(2 * 3_600_000);

    const attempts = w.fake.callsOf('chat.postMessage').slice(before).filter((c) => c.args.channel === 'C0003');
    expect(attempts).toHaveLength(1); // permanent: not retried
    const schedules = await w.t.db
      .selectFrom('schedule')
      .innerJoin('channel', 'channel.id', 'schedule.channel_id')
      .select(['channel.platform_channel_id as channel', 'schedule.enabled', 'schedule.paused_reason', 'schedule.last_error'])
      .orderBy('channel.platform_channel_id')
      .execute();
    expect(schedules).toEqual([
      { channel: 'C0001', enabled: true, paused_reason: null, last_error: null },
      { channel: 'C0003', enabled: false, paused_reason: "posting failed: I'm not in that channel", last_error: expect.stringMatching(/^not_in_channel/) },
    ]);
    const told = w.fake.posted({ channel: 'DADA' }).find((p) => p.text.includes("couldn't post the question of the day"));
    expect(told?.text).toMatch(/I'm not in that channel.*paused its schedule/);
    expect(w.fake.posted({ channel: 'C0001' }).some((p) => p.text.startsWith('Question of the day'))).toBe(true);

    const show = await w.driver.command('schedule show', { ...ADA, channel: 'C0003' });
    expect(show.status).toBe(200);
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === show.responseId)?.body.text).toBeTruthy();
  });
});
