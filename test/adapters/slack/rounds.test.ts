/**
 * A question of the day on Slack, end to end: the card, answers in its thread (replies, edits,
 * deletions; bots ignored), the close with key points and the mentors pinged, the self-check, and a
 * mentor's review through the modal reaching the member by DM and in the thread. Member text that
 * looks like `<!channel>` never pings anyone.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answersOfRound } from '../../../src/db/repos/answers.js';
import { backend } from '../../helpers/db.js';
import type { Posted } from '../../fakes/slack/server.js';
import { blockTexts, buttons, world, type World } from './world.js';

const HOUR = 3_600_000;
const ADA = { user: 'UADA', userName: 'ada' };
const CY = { user: 'UCY', userName: 'cy' };

describe(`question of the day on Slack, ${backend}`, () => {
  let w: World;
  let card: Posted;
  let roundId: number;
  beforeAll(async () => {
    w = await world({ start: new Date('2026-11-23T07:00:00Z') }); // a Monday
    await w.driver.command('mentor add <@UCY|cy>', ADA);
    await w.driver.command('schedule set days:mon-fri time:09:00 tz:Europe/Berlin window:2h kind:open', ADA);
    await w.settle();
  });
  afterAll(async () => w.close());

  const allPosted = () => JSON.stringify([...w.fake.callsOf('chat.postMessage'), ...w.fake.callsOf('chat.postEphemeral'), ...w.fake.callsOf('views.open')].map((c) => c.args)) + JSON.stringify(w.fake.responses);

  it('posts the card at 09:00 Berlin: prompt, difficulty, topic, the end of the window, a self-check', async () => {
    await w.advance(2 * HOUR);
    card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'))!;
    expect(card).toBeDefined();
    const call = w.fake.callsOf('chat.postMessage').find((c) => c.args.ts === card.ts)!;
    expect(call.at).toBeGreaterThan(0);
    expect(card.threadTs).toBeUndefined();
    const texts = blockTexts(card.blocks).join('\n');
    expect(texts).toMatch(/\*Difficulty\*\n(beginner|intermediate|advanced)/);
    expect(texts).toMatch(/\*Topic\*\n\S+/);
    expect(texts).toMatch(/\*Closes\*\nMon 23 Nov, (10:00 UTC|11:00 CET)/);
    expect(texts).toMatch(/Reply in this thread to answer/);
    expect([...buttons(card.blocks).keys()]).toEqual(['Knew it', 'Unsure', "Didn't know"]);
    const rounds = await w.t.db.selectFrom('round').select(['id', 'thread_ref']).where('kind', '=', 'qotd').execute();
    expect(rounds).toHaveLength(1);
    roundId = rounds[0]!.id;
    expect(rounds[0]!.thread_ref).toBe(`slack:T0001:C0001:${card.ts}`);
  });

  it('takes thread replies as answers; more replies extend one, edits update it, deletion withdraws it', async () => {
    const thread = { threadTs: card.ts };
    expect((await w.driver.threadReply({ ...thread, user: 'UBOB', ts: '1900000001.000001', text: 'Indexes make reads faster.' })).status).toBe(200);
    await w.driver.threadReply({ ...thread, user: 'UALICE', ts: '1900000002.000001', text: 'A B-tree keeps keys sorted.' });
    await w.driver.threadReply({ ...thread, user: 'UALICE', ts: '1900000003.000001', text: '&lt;!channel&gt; writes pay for it &amp; so does disk, ask &lt;@UBOB&gt;' });
    // Alice fixes her first reply; Bob deletes his.
    await w.driver.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0001',
      ts: '1900000004.000001',
      message: { type: 'message', user: 'UALICE', text: 'A B-tree keeps keys sorted and balanced.', ts: '1900000002.000001', thread_ts: card.ts, edited: { user: 'UALICE', ts: '1900000004.000001' } },
      previous_message: { type: 'message', user: 'UALICE', text: 'A B-tree keeps keys sorted.', ts: '1900000002.000001', thread_ts: card.ts },
    });
    await w.driver.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: 'C0001',
      ts: '1900000005.000001',
      deleted_ts: '1900000001.000001',
      previous_message: { type: 'message', user: 'UBOB', text: 'Indexes make reads faster.', ts: '1900000001.000001', thread_ts: card.ts },
    });
    // Not answers: another bot, the dojo's own post, a top-level message.
    await w.driver.event({ type: 'message', bot_id: 'BOTHER', user: 'UOTHERBOT', channel: 'C0001', text: 'beep', ts: '1900000006.000001', thread_ts: card.ts });
    await w.driver.event({ type: 'message', user: 'UBOT1', bot_id: 'BBOT1', channel: 'C0001', text: 'own', ts: '1900000007.000001', thread_ts: card.ts });
    await w.driver.event({ type: 'message', user: 'UCY', channel: 'C0001', text: 'lunch?', ts: '1900000008.000001' });
    await w.settle();

    const answers = (await answersOfRound(w.t.db, roundId)).sort((a, b) => a.display_name.localeCompare(b.display_name));
    expect(answers.map((a) => [a.display_name, a.status])).toEqual([
      ['alice', 'active'],
      ['bob', 'withdrawn'],
    ]);
    expect(answers[0]!.body).toBe('A B-tree keeps keys sorted and balanced.\n\n<!channel> writes pay for it & so does disk, ask <@UBOB>');
  });

  it('acknowledges each recorded thread answer with a ✅ reaction on it', async () => {
    // The reaction follows the commit without holding up the answer to Slack: wait for it to arrive.
    await vi.waitFor(() => expect(w.fake.callsOf('reactions.add')).toHaveLength(3));
    expect(w.fake.callsOf('reactions.add').map((c) => c.args)).toEqual(
      ['1900000001.000001', '1900000002.000001', '1900000003.000001'].map((timestamp) => ({ channel: 'C0001', timestamp, name: 'white_check_mark' })),
    );
  });

  it('records the self-check privately', async () => {
    const click = await w.driver.click(buttons(card.blocks).get('Unsure')!, { messageTs: card.ts });
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === click.responseId)?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(/^Noted: you/) });
  });

  it('closes in the thread with the key points and pings only the mentors', async () => {
    await w.advance(HOUR);
    const inThread = w.fake.posted({ channel: 'C0001', threadTs: card.ts });
    const closing = inThread.find((p) => p.text.startsWith("Time's up"));
    expect(closing).toBeDefined();
    expect(blockTexts(closing!.blocks).join('\n')).toMatch(/Key points/);
    expect(closing!.text).toMatch(/1 answer from alice/);
    const ping = inThread.find((p) => p.text.includes('waiting for review'));
    expect(ping?.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(/^<@UCY> 1 answer waiting for review/) } });
  });

  it('keeps the review form open with the error on its field when the feedback is missing', async () => {
    const cmd = await w.driver.command('review', CY);
    await w.settle();
    const view = w.fake.callsOf('views.open').find((c) => c.args.trigger_id === cmd.triggerId)?.args.view as { callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; element?: { type: string } }[] };
    const selects = view.blocks.filter((b) => b.type === 'input' && b.element?.type === 'static_select').map((b) => b.block_id!);
    const sent = await w.driver.submit(view, { ...Object.fromEntries(selects.map((id) => [id, '2'])), feedback: '   ' }, CY);
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.text)).toEqual({ response_action: 'errors', errors: { feedback: 'Please write a line of feedback; it is what helps them most.' } });
    await w.settle();
    // Nothing else happened: no review, no second form, no message.
    expect(w.fake.callsOf('views.open').filter((c) => c.args.trigger_id !== cmd.triggerId && String((c.args.view as { callback_id?: string }).callback_id).startsWith('review:'))).toEqual([]);
    expect(w.fake.callsOf('chat.postEphemeral').filter((c) => String(c.args.text).includes('feedback'))).toEqual([]);
  });

  it('a mentor reviews through the modal, and the member hears about it by DM and in the thread', async () => {
    const cmd = await w.driver.command('review', CY);
    await w.settle();
    const view = w.fake.callsOf('views.open').find((c) => c.args.trigger_id === cmd.triggerId)?.args.view as { callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; element?: { type: string } }[] };
    expect(view?.callback_id).toMatch(/^review:\d+$/);
    const shown = blockTexts(view.blocks).join('\n');
    expect(shown).toContain('&lt;!channel&gt; writes pay for it &amp; so does disk, ask &lt;@UBOB&gt;');
    expect(shown).toMatch(/Key points/);
    const selects = view.blocks.filter((b) => b.type === 'input' && b.element?.type === 'static_select').map((b) => b.block_id!);
    expect(selects.length).toBeGreaterThanOrEqual(2);
    const values: Record<string, string | boolean> = Object.fromEntries(selects.map((id) => [id, '3']));
    values.feedback = 'Clear & correct. Next time <mention> write amplification.';
    values.best = true;
    const sent = await w.driver.submit(view, values, CY);
    expect(sent.status).toBe(200);
    await w.settle();

    const dm = w.fake.posted({ channel: 'DALICE' }).find((p) => p.text.startsWith('A mentor reviewed your answer'));
    expect(dm).toBeDefined();
    expect(blockTexts(dm!.blocks).join('\n')).toContain('Clear &amp; correct. Next time &lt;mention&gt; write amplification.');
    expect(dm!.text).toMatch(/picked as the best answer/);
    const notice = w.fake.posted({ channel: 'C0001', threadTs: card.ts }).find((p) => p.text.includes('reviewed your answer'));
    expect(notice?.blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/^<@UALICE> a mentor reviewed your answer and picked it as the best one/) } });
    const thanks = w.fake.callsOf('chat.postEphemeral').find((c) => c.args.user === 'UCY' && String(c.args.text).startsWith('Thanks! Review sent'));
    expect(thanks?.args.channel).toBe('C0001');
    expect(buttons((thanks?.args.blocks as unknown[]) ?? []).get('Review the next one')).toBe('review:next');

    const asked = await w.driver.command('leaderboard');
    await w.settle();
    const board = w.fake.responses.find((r) => r.id === asked.responseId && r.body.response_type === 'in_channel');
    const table = blockTexts((board?.body.blocks as unknown[]) ?? []).find((t) => t.startsWith('```'));
    expect(table).toMatch(/1\s+alice\s+\d+/);
  });

  it('publishes the App Home: stats and streak, the board, and for admins the channel schedules', async () => {
    const home = async (user: string) => {
      const sent = await w.driver.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
      expect(sent.status).toBe(200);
      await w.settle();
      const call = w.fake.callsOf('views.publish').filter((c) => c.args.user_id === user).at(-1);
      const view = call?.args.view as { type: string; blocks: unknown[] };
      expect(view.type).toBe('home');
      return blockTexts(view.blocks).join('\n');
    };
    const alice = await home('UALICE');
    expect(alice).toMatch(/Stats for alice/);
    expect(alice).toMatch(/Leaderboard · This week/);
    expect(alice).not.toMatch(/Channel schedules/);
    const ada = await home('UADA');
    expect(ada).toMatch(/Channel schedules/);
    expect(ada).toMatch(/Mon–Fri at 09:00 Europe\/Berlin/);
  });

  it('never sends a raw <!channel>, <!here> or a mention a member typed', () => {
    const everything = allPosted();
    expect(everything).not.toMatch(/<!channel>|<!here>|<!everyone>|<@UBOB>/);
    expect(everything).toContain('<@UCY>'); // the one the core meant
  });
});
