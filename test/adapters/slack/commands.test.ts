/**
 * Every `/dojo` subcommand as a signed slash command through the real Bolt App and the real core: what
 * the person sees through the response_url (ephemeral or in the channel), the modals opened with their
 * trigger, and what is posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsHeight, STATS_SIZE } from '../../../src/charts/index.js';
import { backend } from '../../helpers/db.js';
import { isPng, pngSize } from '../../helpers/png.js';
import { blockTexts, buttons, world, type World } from './world.js';

const ADA = { user: 'UADA', userName: 'ada' };
const ALICE = { user: 'UALICE', userName: 'alice' };
const CY = { user: 'UCY', userName: 'cy' };

describe(`/dojo subcommands on Slack, ${backend}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    // A user group of the workspace, as usergroups.list gives it (the adapter reads it once a while).
    w.fake.addUser('UDEE', { name: 'dee' });
    w.fake.usergroups.set('S0MENTORS', { handle: 'mentors', users: ['UDEE'] });
  });
  afterAll(async () => w.close());

  /** Runs a command and returns what came back in its ack (within the answer budget) or through its response_url. */
  async function run(text: string, who = ALICE) {
    const mark = w.fake.posted({ channel: 'C0001' }).length;
    const sent = await w.driver.command(text, who);
    expect(sent.status).toBe(200);
    await w.settle();
    const answers = w.fake.responses.filter((r) => r.id === sent.responseId).map((r) => r.body);
    const reply = answers.find((b) => b.response_type !== 'in_channel');
    // What the command put in the channel: posts through the outbox (chat.postMessage), or its in_channel answer.
    const posts = w.fake.posted({ channel: 'C0001' }).slice(mark).filter((p) => !p.threadTs).map((p) => [p.text, ...blockTexts(p.blocks)].join('\n'));
    const shared = answers.filter((b) => b.response_type === 'in_channel').map((b) => [String(b.text), ...blockTexts((b.blocks as unknown[]) ?? [])].join('\n'));
    const inChannel = [...posts, ...shared].join('\n');
    return { ...sent, reply, inChannel, texts: reply ? [String(reply.text), ...blockTexts((reply.blocks as unknown[]) ?? [])].join('\n') : '' };
  }

  const viewOpenedWith = (triggerId: string) => w.fake.callsOf('views.open').find((c) => c.args.trigger_id === triggerId)?.args.view as { callback_id: string; private_metadata: string; blocks: unknown[]; title: { text: string } } | undefined;

  it('help lists what the caller may do, privately', async () => {
    const member = await run('help');
    expect(member.reply?.response_type).toBe('ephemeral');
    expect(member.texts).toMatch(/\/dojo quiz/);
    expect(member.texts).not.toMatch(/\/dojo schedule set/);
    const admin = await run('help', ADA);
    expect(admin.texts).toMatch(/you are an admin/);
    expect(admin.texts).toMatch(/\/dojo schedule set/);
    expect(admin.texts).toMatch(/\/dojo export/);
  });

  it('help speaks Slack’s syntax: /dojo quiz stop, positional words, no Discord option names', async () => {
    const help = (await run('help', ADA)).texts;
    expect(help).toContain('/dojo quiz stop ends it');
    expect(help).toContain('/dojo mentor add @member|@role [role:admin]');
    expect(help).not.toMatch(/quiz-stop|member:@|period:/);
  });

  it('explains bad input with the usage of the subcommand', async () => {
    const quiz = await run('quiz count:99');
    expect(quiz.reply?.response_type).toBe('ephemeral');
    expect(quiz.texts).toMatch(/count must be a whole number from 1 to 10 \(got "99"\)/);
    expect(quiz.texts).toMatch(/Usage: \/dojo quiz \[topic:T\]/);
    expect((await run('dance')).texts).toMatch(/"dance" is not a dojo command\. Try \/dojo help\./);
    expect((await run('schedule set time:25:00', ADA)).texts).toMatch(/time must be HH:MM/);
  });

  it('refuses admin commands to members, kindly', async () => {
    expect((await run('schedule set days:mon-fri')).texts).toMatch(/only admins can do that/);
    expect((await run('export')).texts).toMatch(/only admins can do that/);
    expect((await run('review')).texts).toMatch(/only mentors can review/);
  });

  it('schedule set, show and off in the channel (admins; a workspace admin is one)', async () => {
    const set = await run('schedule set days:mon-fri time:09:00 tz:Europe/Berlin window:2h', ADA);
    expect(set.reply).toBeUndefined();
    expect(set.inChannel).toMatch(/^Saved\. Question of the day: Mon–Fri at 09:00 Europe\/Berlin/);
    const show = await run('schedule show');
    expect(show.reply?.response_type).toBe('ephemeral');
    expect(show.texts).toMatch(/Mon–Fri at 09:00 Europe\/Berlin/);
    const off = await run('schedule off', ADA);
    expect(off.inChannel).toMatch(/The question of the day is off in this channel/);
  });

  it('mentor add, list and remove, with Slack mentions', async () => {
    const add = await run('mentor add <@UCY|cy>', ADA);
    expect(add.reply).toBeUndefined();
    expect(add.inChannel).toMatch(/now a mentor/);
    expect((await run('mentor list')).texts).toMatch(/Mentors: .*\./);
    expect((await run('mentor remove <@UCY|cy>', ADA)).texts).toMatch(/no longer a mentor/);
    await run('mentor add <@UCY|cy>', ADA);
  });

  it('maps a Slack user group to mentors, so everyone in it can review', async () => {
    const DEE = { user: 'UDEE', userName: 'dee' };
    expect((await run('review', DEE)).texts).toMatch(/only mentors can review/);
    const mapped = await run('mentor add <!subteam^S0MENTORS|@mentors>', ADA);
    expect(mapped.reply).toBeUndefined();
    expect(mapped.inChannel).toMatch(/^Everyone with the role mentors is now a mentor here\./);
    expect(mapped.inChannel).not.toMatch(/<!subteam/);
    expect((await run('review', DEE)).texts).toMatch(/No answers are waiting for review/);
    await run('mentor remove <!subteam^S0MENTORS>', ADA);
    expect((await run('review', DEE)).texts).toMatch(/only mentors can review/);
  });

  it('help is answered in the ack once the member is known, and shows a new role at once', async () => {
    const EVE = { user: 'UEVE', userName: 'eve' };
    w.fake.addUser('UEVE', { name: 'eve' });
    await run('help', EVE);
    const again = await w.driver.command('help', EVE);
    expect(again.text).toMatch(/you are a member/);
    expect(w.fake.responses.filter((r) => r.id === again.responseId).map((r) => r.via)).toEqual(['ack']);
    await run('mentor add <@UEVE|eve>', ADA);
    // The role changed: help in the ack must not show the old one.
    expect((await run('help', EVE)).texts).toMatch(/you are a mentor/);
    await run('mentor remove <@UEVE|eve>', ADA);
    expect((await run('help', EVE)).texts).toMatch(/you are a member/);
  });

  it('question posts a practice question card in the channel', async () => {
    const q = await run('question databases');
    expect(q.texts).toMatch(/Posted! (Pick an answer on it|Answer it in its thread) within the hour\./);
    const card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question for the channel'));
    expect(card).toBeDefined();
    expect(card!.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Question for the channel' } });
    expect(blockTexts(card!.blocks).join('\n')).toMatch(/\*Difficulty\*\n(beginner|intermediate|advanced)/);
    expect(blockTexts(card!.blocks).join('\n')).toMatch(/\*Closes\*\n/);
  });

  it('question tells the person, privately, when the bot is not in the channel, and posts nothing later', async () => {
    w.fake.once('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    const q = await run('question databases');
    expect(q.reply?.response_type).toBe('ephemeral');
    expect(q.reply?.text).toBe("I couldn't post the question in this channel: I'm not in that channel. Add me to the channel (or pick one I'm in), then try again.");
    expect(q.texts).not.toMatch(/Posted!/);
  });

  it('quiz starts a round in a thread, and quiz stop ends it', async () => {
    const quiz = await run('quiz topic:databases count:2 kind:choice');
    expect(quiz.texts).toMatch(/Your quiz is starting: 2 questions/);
    const announcement = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Quiz time'));
    expect(announcement).toBeDefined();
    const first = w.fake.posted({ channel: 'C0001', threadTs: announcement!.ts })[0];
    expect(buttons(first!.blocks).get('A')).toMatch(/^choice:\d+:0$/);
    const stop = await run('quiz stop');
    expect(stop.texts).toMatch(/stop|ended/i);
  });

  it('leaderboard shows a readable table in the channel; stats show privately', async () => {
    const posts = w.fake.callsOf('chat.postMessage').length;
    const board = await run('leaderboard week team');
    expect(board.reply).toBeUndefined();
    expect(board.inChannel).toMatch(/Leaderboard · This week/);
    // The board is the command's own answer in the channel (in its ack, or through the response_url
    // past the answer budget), not a post of the bot's: it shows in channels the bot was never invited to.
    expect(w.fake.responses.filter((r) => r.id === board.responseId).map((r) => r.body.response_type)).toEqual(['in_channel']);
    expect(w.fake.callsOf('chat.postMessage')).toHaveLength(posts);
    const stats = await run('stats');
    expect(stats.reply?.response_type).toBe('ephemeral');
    expect(stats.texts).toMatch(/Stats for alice/);
    expect((await run('stats <@UBOB|bob>')).texts).toMatch(/no stats for them/);
  });

  it('leaderboard board:improved, board:best, board:channels and board:league', async () => {
    expect((await run('leaderboard board:improved')).inChannel).toMatch(/^Most improved · This week/);
    expect((await run('leaderboard month board:best')).inChannel).toMatch(/^Personal bests · This month/);
    expect((await run('leaderboard board:channels')).inChannel).toMatch(/^Channels · This week/);
    expect((await run('leaderboard board:league')).texts).toMatch(/Leagues run within a season, and none is running\./);
    expect((await run('leaderboard board:everyone')).texts).toMatch(/board must be one of league, all, improved, best, channels/);
  });

  it('stats upload their chart with files.uploadV2 into the member’s DMs: a PNG of the chart’s size', async () => {
    const uploads = w.fake.uploads.length;
    const stats = await run('stats');
    expect(stats.texts).toMatch(/Stats for alice/);
    // The three steps of files.uploadV2: an upload URL for the announced length, the bytes, the share.
    const asked = w.fake.callsOf('files.getUploadURLExternal').at(-1)?.args;
    expect(asked).toMatchObject({ filename: 'dojo-stats.png' });
    expect(String(asked?.alt_text)).toMatch(/^alice's points per week for the last 12 weeks/);
    const [upload, ...more] = w.fake.uploads.slice(uploads);
    expect(more).toEqual([]);
    expect(isPng(upload!.bytes)).toBe(true);
    expect(Number(asked?.length)).toBe(upload!.bytes.length);
    expect(pngSize(upload!.bytes)).toEqual({ width: STATS_SIZE.width, height: statsHeight(0) });
    const complete = w.fake.callsOf('files.completeUploadExternal').at(-1)?.args;
    expect(complete?.channel_id).toBe('DALICE');
    expect(complete?.files).toEqual([{ id: upload!.id, title: 'dojo-stats.png' }]);
  });

  it('season start, show and end', async () => {
    const start = await run('season start "Winter Cup" until:2027-03-01', ADA);
    expect(start.reply).toBeUndefined();
    expect(start.inChannel).toMatch(/Season "Winter Cup" has started!/);
    expect((await run('season show')).texts).toMatch(/Winter Cup/);
    expect((await run('season end', ADA)).texts).toMatch(/"Winter Cup" has ended/);
  });

  it('add-question opens a modal with the trigger; the proposal reaches mentors, who approve it with a button', async () => {
    const cmd = await run('add-question');
    expect(cmd.reply).toBeUndefined();
    const view = viewOpenedWith(cmd.triggerId);
    expect(view?.callback_id).toBe('add-question');
    expect(view!.title.text.length).toBeLessThanOrEqual(24);
    // Too few key points: the form stays open with the error on that field, the text as typed.
    const short = await w.driver.submit(view!, { prompt: 'What does VACUUM do in Postgres?', kind: 'open', topic: 'databases', difficulty: 'intermediate', details: 'reclaims dead tuples' }, ALICE);
    expect(JSON.parse(short.text)).toEqual({ response_action: 'errors', errors: { details: 'Give 3 to 6 key points, one per line.' } });
    const submitted = await w.driver.submit(view!, { prompt: 'What does VACUUM do in Postgres?', kind: 'open', topic: 'databases', difficulty: 'intermediate', details: 'reclaims dead tuples\nupdates the visibility map\nprevents wraparound' }, ALICE);
    expect(submitted.status).toBe(200);
    await w.settle();
    const thanks = w.fake.callsOf('chat.postEphemeral').at(-1)?.args;
    expect(thanks).toMatchObject({ channel: 'C0001', user: 'UALICE' });
    expect(String(thanks?.text)).toMatch(/waiting for a mentor’s approval/);
    const card = w.fake.posted({ channel: 'DCY' }).find((p) => p.text.startsWith('New team question'));
    expect(card).toBeDefined();
    const approve = buttons(card!.blocks).get('Approve')!;
    const click = await w.driver.click(approve, { ...CY, channel: 'DCY', messageTs: card!.ts });
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === click.responseId)?.body.text).toMatch(/Approved/);
    expect(w.fake.posted({ channel: 'DALICE' }).at(-1)?.text).toMatch(/was approved/);
  });

  it('review opens nothing when no answer waits, and says so', async () => {
    const review = await run('review', CY);
    expect(review.texts).toMatch(/No answers are waiting for review/);
  });

  it('practice: the due question privately, answered before its key points, then rated with buttons', async () => {
    const PIA = { user: 'UPIA', userName: 'pia' };
    const shown = await run('practice', PIA);
    expect(shown.reply?.response_type).toBe('ephemeral');
    expect(shown.texts).toMatch(/^Practice question/);
    expect(shown.texts).not.toMatch(/Key points|Answer: [A-E]\./);
    const ids = buttons((shown.reply?.blocks as unknown[]) ?? []);
    const click = async (id: string) => {
      const sent = await w.driver.click(id, { ...PIA, ephemeral: true });
      await w.settle();
      const body = w.fake.responses.find((r) => r.id === sent.responseId)?.body;
      expect(body?.response_type).toBe('ephemeral');
      return body!;
    };
    let rating: Record<string, unknown>;
    if (ids.has('Show key points')) {
      rating = await click(ids.get('Show key points')!);
      expect(blockTexts(rating.blocks as unknown[]).join('\n')).toMatch(/Key points/);
    } else {
      // A choice: the right one, looked up in the bank, then how it felt.
      const questionId = Number(ids.get('A')!.split(':')[1]);
      const q = await w.t.db.selectFrom('question').select('options').where('id', '=', questionId).executeTakeFirstOrThrow();
      rating = await click(ids.get('ABCDE'[q.options!.findIndex((o) => o.correct)]!)!);
      expect(String(rating.text)).toMatch(/^Right/);
    }
    const rate = buttons(rating.blocks as unknown[]);
    expect([...rate.keys()]).toEqual(expect.arrayContaining(['Hard', 'Good', 'Easy']));
    const noted = await click(rate.get('Good')!);
    expect(String(noted.text)).toMatch(/^Noted: Good\. It comes back in 2 days/);
    expect(buttons(noted.blocks as unknown[]).has('Next question')).toBe(true);
    // Nothing else due: when the next one is, and a new question on offer.
    const again = await run('practice', PIA);
    expect(again.texts).toMatch(/^Nothing is due right now\. Your next review is in 2 days/);
    expect(buttons((again.reply?.blocks as unknown[]) ?? []).has('New question')).toBe(true);
  });

  it('practice daily sets the DM time in the member’s zone; export mine sends their data as a file', async () => {
    expect((await run('practice daily 08:30 tz:Europe/Berlin', CY)).texts).toMatch(/^Daily practice is on: a question in your direct messages every day at 08:30 Europe\/Berlin\. The first comes .+ \/dojo practice off stops it\.$/m);
    expect((await run('practice off', CY)).texts).toMatch(/^Daily practice is off/);
    const mine = await run('export mine', CY);
    expect(mine.texts).toMatch(/^Here is everything I hold about you: /);
    expect(w.fake.callsOf('files.completeUploadExternal').at(-1)?.args.channel_id).toBe('DCY');
    expect(w.fake.uploads.at(-1)?.raw).toContain('"user_id": "UCY"');
  });

  it('forget-me asks first, with buttons, and deletes on confirmation', async () => {
    const ask = await run('forget-me', { user: 'UBOB', userName: 'bob' });
    expect(ask.reply?.response_type).toBe('ephemeral');
    const ids = buttons((ask.reply?.blocks as unknown[]) ?? []);
    expect([...ids.values()]).toEqual(['forget:confirm', 'forget:cancel']);
    const confirm = await w.driver.click('forget:confirm', { user: 'UBOB', userName: 'bob', ephemeral: true });
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === confirm.responseId)?.body.text).toMatch(/^Done: \d+ answers?, all your points and your practice are deleted\./);
  });

  it('export sends the CSV privately, into the admin’s direct messages', async () => {
    const exp = await run('export', ADA);
    expect(exp.texts).toMatch(/Here is the export/);
    const complete = w.fake.callsOf('files.completeUploadExternal').at(-1)?.args;
    expect(complete?.channel_id).toBe('DADA');
    expect(w.fake.uploads.at(-1)?.raw).toContain('answered_at,channel,member');
  });
});
