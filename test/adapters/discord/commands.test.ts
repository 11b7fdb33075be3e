import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsHeight, STATS_SIZE } from '../../../src/charts/index.js';
import { backend } from '../../helpers/db.js';
import { isPng, pngSize } from '../../helpers/png.js';
import type { RecordedCall } from '../../fakes/discord/index.js';
import { CALLBACK, type OptionValue, type Sent } from '../../fakes/discord/interactions.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { buttonsOf, expectCardKept, expectPrivateAnswer, member, shown } from './harness.js';

describe(`every /dojo subcommand on Discord, on ${backend}`, () => {
  let h: CoreHarness;
  const ada = member('ada', { manageGuild: true });
  const bob = member('bob');

  beforeAll(async () => {
    h = await startWithCore();
  });
  afterAll(async () => h?.stop());

  /** Runs a command; checks it was answered privately; returns what the person then saw. */
  async function run(user: typeof ada, path: string[], values: Record<string, OptionValue> = {}): Promise<{ sent: Sent; text: string; call: RecordedCall }> {
    const sent = h.fake.play.slash(user, path, values);
    expectPrivateAnswer(await h.fake.play.callbackOf(sent));
    const answer = await Promise.race([
      h.fake.play.editOf(sent),
      h.fake.waitFor((c) => c.method === 'DELETE' && c.path.includes(sent.token)).then(() => h.fake.rest.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`).at(-1)!),
    ]);
    return { sent, text: shown(answer.body), call: answer };
  }

  /** The newest message the bot posted in the channel itself (announcements go through the outbox, with a nonce). */
  const inChannel = () => h.fake.rest.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`).at(-1)!;

  /** A board: the command's own public reply, in its callback (no post of the bot's, no private "Done."); what it showed. */
  async function board(user: typeof ada, values: Record<string, OptionValue> = {}): Promise<string> {
    const posts = h.fake.messagesIn(h.fake.channelId).length;
    const sent = h.fake.play.slash(user, ['leaderboard'], values);
    const callback = await h.fake.play.callbackOf(sent);
    expect(callback.body.type).toBe(CALLBACK.reply);
    expect(callback.body.data?.flags ?? 0).toBe(0);
    // Display names are people's own words: nobody is pinged by a board.
    expect(callback.body.data?.allowed_mentions).toMatchObject({ parse: [] });
    expect(h.fake.play.callbacksOf(sent)).toHaveLength(1);
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(posts);
    return shown(callback.body.data);
  }

  it('help, question, quiz and quiz-stop', async () => {
    expect((await run(bob, ['help'])).text).toMatch(/^Interview Dojo\n• \/dojo quiz/);
    expect((await run(bob, ['question'], { topic: 'databases', difficulty: 'beginner' })).text).toMatch(/^Posted! Answer it with its Answer button within the hour\.$/);
    expect((await run(bob, ['quiz'], { kind: 'choice', count: 2, seconds: 30 })).text).toBe('Your quiz is starting: 2 questions.');
    expect((await run(bob, ['quiz-stop'])).text).toBe('The quiz is stopped.');
  });

  it('leaderboard (for the channel) and stats', async () => {
    expect(await board(bob, { period: 'all', scope: 'channel' })).toMatch(/Leaderboard/i);
    expect((await run(bob, ['stats'])).text).toMatch(/bob/);
    expect((await run(ada, ['stats'], { member: { user: bob } })).text).toMatch(/bob/);
  });

  it('leaderboard board: most improved, personal bests, channels and the league board as typed options', async () => {
    expect(await board(bob, { board: 'improved' })).toMatch(/^Most improved · This week/);
    expect(await board(bob, { period: 'month', board: 'best' })).toMatch(/^Personal bests · This month/);
    expect(await board(bob, { board: 'channels' })).toMatch(/^Channels · This week/);
    expect((await run(bob, ['leaderboard'], { board: 'league' })).text).toMatch(/^Leagues run within a season, and none is running\./);
    expect((await run(bob, ['leaderboard'], { period: 'all', board: 'improved' })).text).toMatch(/^board:improved compares weeks or months/);
  });

  it('stats are followed by their chart: a private PNG attachment of the chart’s size, with its alt text', async () => {
    const stats = await run(bob, ['stats']);
    expect(stats.text).toMatch(/^Stats for bob/);
    // The words alone; the picture is its own private follow-up (multipart: payload_json and the file).
    expect(stats.call.files).toEqual([]);
    const chart = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${stats.sent.token}`, 5000, 'the chart');
    expect(chart.files.map((f) => [f.name, f.type])).toEqual([['dojo-stats.png', 'image/png']]);
    const png = chart.files[0]!.bytes;
    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual({ width: STATS_SIZE.width, height: statsHeight(0) });
    expect(chart.body.attachments).toMatchObject([{ id: '0', description: expect.stringMatching(/^bob's points per week for the last 12 weeks/) }]);
  });

  it('review answers with a private reply when nothing waits', async () => {
    const sent = h.fake.play.slash(ada, ['review']);
    const callback = await h.fake.play.callbackOf(sent);
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64, content: 'No answers are waiting for review. Nice work!' } });
    const refused = h.fake.play.slash(bob, ['review']);
    expect((await h.fake.play.callbackOf(refused)).body.data.content).toMatch(/^Sorry, only mentors can review answers/);
  });

  it('schedule set, show and off', async () => {
    const set = await run(ada, ['schedule', 'set'], { days: 'weekdays', time: '08:30', tz: 'Europe/Berlin', difficulty: 'weighted:1/2/1', topics: 'databases,caching', categories: 'technical', kind: 'mixed', blind: false, window: '1h' });
    expect(set.text).toBe('Done.');
    expect(shown(inChannel().body)).toMatch(/^Saved\. Question of the day: Mon–Fri at 08:30 Europe\/Berlin/);
    expect((await run(ada, ['schedule', 'show'])).text).toMatch(/08:30 Europe\/Berlin/);
    await run(ada, ['schedule', 'off']);
    expect(shown(inChannel().body)).toMatch(/^The question of the day is off in this channel/);
    expect((await run(bob, ['schedule', 'show'])).text).toMatch(/Sorry, only admins|no schedule|off/i);
  });

  it('mentor add, list and remove', async () => {
    await run(ada, ['mentor', 'add'], { member: { user: bob }, role: 'mentor' });
    expect(shown(inChannel().body)).toBe('bob is now a mentor.');
    expect((await run(ada, ['mentor', 'list'])).text).toMatch(/^Mentors: bob\.\nAdmins: ada\./);
    expect((await run(ada, ['mentor', 'remove'], { member: { user: bob } })).text).toBe('bob is no longer a mentor.');
    expect((await run(bob, ['mentor', 'add'], { member: { user: ada } })).text).toMatch(/^Sorry, only admins can do that/);
  });

  it('maps a server role to mentors with the group option, so everyone with it can review', async () => {
    const mo = member('mo', { roles: ['7001'] });
    const review = async (u: typeof mo) => (await h.fake.play.callbackOf(h.fake.play.slash(u, ['review']))).body.data.content as string;
    expect(await review(mo)).toMatch(/^Sorry, only mentors can review answers/);
    await run(ada, ['mentor', 'add'], { group: { role: { id: '7001', name: 'Team Mentors' } } });
    expect(shown(inChannel().body)).toBe('Everyone with the role Team Mentors is now a mentor here.');
    expect(await review(mo)).toBe('No answers are waiting for review. Nice work!');
    expect((await run(ada, ['mentor', 'remove'], { group: { role: { id: '7001', name: 'Team Mentors' } } })).text).toMatch(/^Done: the role Team Mentors no longer makes anyone a mentor/);
    expect(await review(mo)).toMatch(/^Sorry, only mentors can review answers/);
    expect((await run(ada, ['mentor', 'add'])).text).toMatch(/^Name one member or role with @/);
  });

  it('season start, show and end', async () => {
    await run(ada, ['season', 'start'], { name: 'Winter 2026', until: '2027-03-01' });
    expect(shown(inChannel().body)).toMatch(/^Season "Winter 2026" has started!/);
    expect((await run(bob, ['season', 'show'])).text).toMatch(/Winter 2026/);
    expect((await run(ada, ['season', 'end'])).text).toMatch(/Winter 2026/);
  });

  it('passes an option with quotes, brackets and pipes to the core unchanged (no text round trip)', async () => {
    const name = `Q4 "Cup" <'26> | “final”`;
    await run(ada, ['season', 'start'], { name, until: '2027-03-01' });
    const season = await h.t.db.selectFrom('season').select('name').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(season.name).toBe(name);
    // Shown escaped (Discord markdown), but whole: the quotes were not cut or rewritten.
    expect(shown(inChannel().body)).toContain('Q4 "Cup" \\<\'26\\> \\| “final”');
    expect((await run(ada, ['season', 'end'])).text).toContain('"Cup"');
  });

  it('add-question opens a modal; a mentor approves the proposal with a button in a DM', async () => {
    const sent = h.fake.play.slash(bob, ['add-question']);
    const modal = await h.fake.play.callbackOf(sent);
    expect(modal.body.type).toBe(9);
    const labels = (modal.body.data.components as { type: number; label: string; component: { type: number } }[]).map((c) => [c.label, c.component.type]);
    expect(labels).toEqual([
      ['Question', 4],
      ['Kind and category', 3],
      ['Topic (e.g. databases)', 4],
      ['Difficulty', 3],
      ['Key points, or options (* marks the correct …', 4],
    ]);
    expect(modal.body.data.components[4].description).toBe('Key points, or options (* marks the correct one)');
    for (const [label] of labels) expect(String(label).length).toBeLessThanOrEqual(45);

    const submit = h.fake.play.submit(bob, modal, {
      prompt: 'How would you shard a users table?',
      kind: 'open',
      topic: 'databases',
      difficulty: 'advanced',
      details: 'Pick a shard key\nAvoid hot spots\nPlan resharding',
    });
    expectPrivateAnswer(await h.fake.play.callbackOf(submit));
    expect(shown((await h.fake.play.editOf(submit)).body)).toBe('Thanks! Your question is waiting for a mentor’s approval.');

    const dmChannel = h.fake.dmChannel(ada.id);
    const card = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${dmChannel}/messages`);
    expect(shown(card.body)).toMatch(/New team question from bob[\s\S]*shard a users table/);
    const approve = buttonsOf(h.fake.messagesIn(dmChannel).at(-1)).find((b) => b.label === 'Approve')!;
    expect(approve.custom_id).toMatch(new RegExp(`^approve:\\d+#${h.fake.guild.id}$`));

    const click = h.fake.play.click(ada, h.fake.messagesIn(dmChannel).at(-1)!.id, approve.custom_id);
    expectCardKept(await h.fake.play.callbackOf(click));
    expect(shown((await h.fake.play.followUpOf(click)).body)).toBe('Approved: it joins the team’s questions.');
    const told = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.dmChannel(bob.id)}/messages`);
    expect(shown(told.body)).toMatch(/was approved/);
  });

  it('team-questions lists, edits with the form filled in, and retires a team question', async () => {
    const q = await h.t.db.selectFrom('question').select(['id', 'prompt']).where('source', '=', 'team').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((await run(ada, ['team-questions', 'list'])).text).toContain(`#${q.id} · technical · databases`);
    const edit = h.fake.play.slash(ada, ['team-questions', 'edit'], { number: q.id });
    const form = await h.fake.play.callbackOf(edit);
    expect(form.body.type).toBe(9);
    expect(form.body.data.custom_id).toBe(`edit-question:${q.id}`);
    expect(form.body.data.components.find((c: { component?: { custom_id: string } }) => c.component?.custom_id === 'prompt').component.value).toBe(q.prompt);
    expect((await run(ada, ['team-questions', 'retire'], { number: q.id })).text).toMatch(new RegExp(`^Retired #${q.id}:`));
  });

  /** What a click on a private message answered: in its callback, or in a private follow-up. */
  async function clicked(user: typeof ada, text: string, label: string): Promise<{ text: string; labels: string[] }> {
    const message = [...h.fake.messages.values()].filter((m) => m.webhook_id && shown(m).includes(text)).at(-1)!;
    const button = buttonsOf(message).find((b) => b.label === label)!;
    const sent = h.fake.play.click(user, message.id, button.custom_id);
    const callback = await h.fake.play.callbackOf(sent);
    expectCardKept(callback);
    const body = (callback.body.type === 4 ? callback.body.data : (await h.fake.play.followUpOf(sent)).body) as { content?: string; embeds?: unknown[]; components?: unknown[] };
    return { text: shown(body), labels: ((body.components ?? []) as { components: { label: string }[] }[]).flatMap((r) => r.components.map((c) => c.label)) };
  }

  it('practice privately: the answer before the key points, then Again / Hard / Good / Easy; daily DM and own export', async () => {
    const cy = member('cy');
    const practice = await run(cy, ['practice']);
    expect(practice.text).toMatch(/Practice question/);
    expect(practice.text).not.toMatch(/Key points/);
    const labels = (practice.call.body.components as { components: { label: string; custom_id: string }[] }[]).flatMap((r) => r.components);
    let rating: { text: string; labels: string[] };
    if (labels.some((b) => b.label === 'Show key points')) {
      rating = await clicked(cy, 'Practice question', 'Show key points');
      expect(rating.text).toMatch(/Key points/);
    } else {
      const questionId = Number(labels[0]!.custom_id.split(':')[1]);
      const q = await h.t.db.selectFrom('question').select('options').where('id', '=', questionId).executeTakeFirstOrThrow();
      rating = await clicked(cy, 'Practice question', 'ABCDE'[q.options!.findIndex((o) => o.correct)]!);
      expect(rating.text).toMatch(/Right/);
    }
    expect(rating.labels).toEqual(expect.arrayContaining(['Hard', 'Good', 'Easy']));
    const noted = await clicked(cy, rating.text.split('\n')[0]!, 'Good');
    expect(noted.text).toMatch(/^Noted: Good\. It comes back in 2 days/);
    expect((await run(cy, ['practice'])).text).toMatch(/^Nothing is due right now/);

    expect((await run(cy, ['practice-daily'], { time: '08:30', tz: 'Europe/Berlin' })).text).toMatch(/every day at 08:30 Europe\/Berlin\. The first comes .+ \/dojo practice-off stops it\.$/);
    expect((await run(cy, ['practice-off'])).text).toMatch(/^Daily practice is off/);
    const mine = await run(cy, ['export-mine']);
    expect(mine.text).toMatch(/^Here is everything I hold about you: /);
    expect(mine.call.files[0]!.name).toMatch(/^dojo-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(mine.call.files[0]!.content).practice.cards).toHaveLength(1);
  });

  it('forget-me with its confirmation, export with a file', async () => {
    const forget = await run(bob, ['forget-me']);
    expect(forget.text).toMatch(/cannot be undone/);
    const keep = (forget.call.body.components as { components: { label: string; custom_id: string }[] }[]).flatMap((r) => r.components).find((b) => b.label === 'Keep it')!;
    const forgetMessage = [...h.fake.messages.values()].filter((m) => m.webhook_id && shown(m).includes('cannot be undone')).at(-1)!;
    const click = h.fake.play.click(bob, forgetMessage.id, keep.custom_id);
    expect(shown((await h.fake.play.followUpOf(click)).body)).toBe('Nothing was deleted.');

    const exported = await run(ada, ['export']);
    expect(exported.text).toMatch(/^Here is the export: \d+ answers?\.$/);
    expect(exported.call.files).toHaveLength(1);
    expect(exported.call.files[0]!.name).toMatch(/^dojo-export-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(exported.call.files[0]!.content).toMatch(/^answered_at,channel,member/);
    expect((await run(bob, ['export'])).text).toMatch(/^Sorry, only admins can do that/);
  });

  it('completes topics from the bank', async () => {
    const sent = h.fake.play.autocomplete(bob, ['quiz'], { topic: 'da', kind: 'choice' }, 'topic');
    const callback = await h.fake.play.callbackOf(sent);
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'databases', value: 'databases' }] } });
    const list = h.fake.play.autocomplete(ada, ['schedule', 'set'], { topics: 'databases,ca' }, 'topics');
    expect((await h.fake.play.callbackOf(list)).body.data.choices).toEqual([{ name: 'databases,caching', value: 'databases,caching' }]);
  });

  it('completes the team’s own topics too, once their questions are approved', async () => {
    const complete = async () => (await h.fake.play.callbackOf(h.fake.play.autocomplete(bob, ['question'], { topic: 'team-r' }, 'topic'))).body.data.choices;
    expect(await complete()).toEqual([]);
    const proposed = h.fake.play.submit(bob, await h.fake.play.callbackOf(h.fake.play.slash(bob, ['add-question'])), {
      prompt: 'Where is the rollback runbook for billing?',
      kind: 'open',
      topic: 'Team Runbooks',
      difficulty: 'beginner',
      details: 'In the ops wiki\nUnder billing\nLinked from the alert',
    });
    expect(shown((await h.fake.play.editOf(proposed)).body)).toMatch(/waiting for a mentor/);
    expect(await complete()).toEqual([]); // pending questions stay private to their reviewers
    const id = (await h.t.db.selectFrom('question').select('id').where('prompt', '=', 'Where is the rollback runbook for billing?').executeTakeFirstOrThrow()).id;
    const approve = [...h.fake.messages.values()].filter((m) => buttonsOf(m).some((b) => b.custom_id.startsWith(`approve:${id}`))).at(-1)!;
    const click = h.fake.play.click(ada, approve.id, buttonsOf(approve).find((b) => b.custom_id.startsWith(`approve:${id}`))!.custom_id);
    await h.fake.play.followUpOf(click);
    expect(await complete()).toEqual([{ name: 'team-runbooks', value: 'team-runbooks' }]);
  });
});
