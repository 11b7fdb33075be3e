import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { buttonsOf, eventually, expectCardKept, expectPrivateAnswer, member, shown } from './harness.js';

const HOUR = 3_600_000;
const MESSAGE_SENDS = /^(\/channels\/[^/]+\/messages|\/webhooks\/[^/]+\/[^/]+(\/messages\/@original)?|\/interactions\/[^/]+\/[^/]+\/callback)$/;

// The default setup (no Message Content intent: the Answer form) and DISCORD_THREAD_ANSWERS=true.
describe.each([
  { threadAnswers: false, setup: 'by default' },
  { threadAnswers: true, setup: 'with thread answers' },
])(`Discord rounds $setup on ${backend}`, ({ threadAnswers }) => {
  let h: CoreHarness;
  const ada = member('ada', { manageGuild: true });
  const bob = member('bob');
  const cy = member('cy');
  let blindChannel: string;

  beforeAll(async () => {
    h = await startWithCore({ adapter: { threadAnswers } });
    blindChannel = h.fake.addChannel('blind-practice');
  });
  afterAll(async () => h?.stop());

  it('asks for the Message Content intent only when thread answers are on', () => {
    // Guilds (1) | GuildMessages (512) | MessageContent (32768)
    expect(h.fake.gateway.intents).toBe(threadAnswers ? 1 | 512 | 32768 : 1);
  });

  it('saves schedules and appoints a mentor, announcing it in the channel for everyone', async () => {
    const set = h.fake.play.slash(ada, ['schedule', 'set'], { days: 'mon-fri', time: '09:00', tz: 'UTC', window: '2h', kind: 'open' });
    expectPrivateAnswer(await h.fake.play.callbackOf(set));
    await h.fake.play.editOf(set);
    expect(h.fake.messagesIn(h.fake.channelId).map(shown).at(-1)).toMatch(/^Saved\. Question of the day: Mon–Fri at 09:00 UTC/);

    const blind = h.fake.play.slash(ada, ['schedule', 'set'], { time: '10:00', tz: 'UTC', window: '2h', kind: 'open', blind: true }, blindChannel);
    await h.fake.play.editOf(blind);
    expect(h.fake.messagesIn(blindChannel).map(shown).at(-1)).toMatch(/blind answers/);

    const appoint = h.fake.play.slash(ada, ['mentor', 'add'], { member: { user: cy } });
    await h.fake.play.editOf(appoint);
    expect(h.fake.messagesIn(h.fake.channelId).map(shown).at(-1)).toMatch(/now a mentor/);
  });

  it.runIf(!threadAnswers)('opens a thread on the question of the day and takes answers through the Answer form', async () => {
    await h.advance(2 * HOUR); // 09:00
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question of the day'))!;
    await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages/${card.id}/threads`);
    expect(shown(card)).toMatch(/Press Answer to write yours/);
    const click = h.fake.play.click(bob, card.id, buttonsOf(card).find((b) => b.label === 'Answer')!.custom_id);
    const modal = await h.fake.play.callbackOf(click);
    const submit = h.fake.play.submit(bob, modal, { body: 'An index is a sorted structure @everyone <@&999> <@123> **bold**' });
    expect(shown((await h.fake.play.followUpOf(submit)).body)).toMatch(/^Thanks, your answer is in!/);
    expect(await h.t.db.selectFrom('answer').select(['body', 'review_status']).execute()).toEqual([{ body: 'An index is a sorted structure @everyone <@&999> <@123> **bold**', review_status: 'pending' }]);
  });

  it.runIf(threadAnswers)('opens a thread on the question of the day and takes thread messages as answers', async () => {
    await h.advance(2 * HOUR); // 09:00
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question of the day'));
    expect(card).toBeDefined();
    await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages/${card!.id}/threads`);
    expect(h.fake.threads.get(card!.id)).toMatchObject({ parent_id: h.fake.channelId, owner_id: h.fake.bot.id });

    h.fake.play.say(bob, card!.id, 'An index is a sorted structure @everyone <@&999> <@123> **bold**');
    const second = h.fake.play.say(bob, card!.id, 'It speeds up reads but slows writes.');
    const typo = h.fake.play.say(bob, card!.id, 'Oops, wrong thread');
    h.fake.play.say(cy, h.fake.channelId, 'chatter outside any thread is not an answer');
    const answer = await eventually(async () => {
      const row = await h.t.db.selectFrom('answer').select(['body', 'review_status']).executeTakeFirstOrThrow();
      expect(row.body).toMatch(/slows writes[\s\S]*wrong thread/);
      return row;
    });
    expect(answer.review_status).toBe('pending');
    expect(await h.t.db.selectFrom('answer').select('id').execute()).toHaveLength(1);

    // Edits and deletes of thread messages reach the answer.
    h.fake.play.edit(bob, second, 'It speeds up reads but slows down writes.');
    h.fake.play.remove(typo);
    await eventually(async () => {
      const row = await h.t.db.selectFrom('answer').select('body').executeTakeFirstOrThrow();
      expect(row.body).toMatch(/slows down writes/);
      expect(row.body).not.toMatch(/wrong thread/);
    });
  });

  it('takes a blind round’s answer through the Answer privately modal', async () => {
    await h.advance(HOUR); // 10:00
    const card = h.fake.messagesIn(blindChannel).find((m) => shown(m).startsWith('Question of the day'));
    const answerButton = buttonsOf(card).find((b) => b.label === 'Answer privately');
    expect(answerButton).toBeDefined();

    const click = h.fake.play.click(bob, card!.id, answerButton!.custom_id);
    const modal = await h.fake.play.callbackOf(click);
    expect(modal.body).toMatchObject({ type: 9, data: { title: 'Your answer', components: [{ type: 10 }, { type: 18, label: 'Answer', component: { type: 4, style: 2, required: true } }] } });

    const submit = h.fake.play.submit(bob, modal, { body: 'Private: @here use a B-tree <@&42>' });
    expectCardKept(await h.fake.play.callbackOf(submit));
    expect(shown((await h.fake.play.followUpOf(submit)).body)).toMatch(/stays hidden until the question closes/);

    // Writing in a blind round's thread gets a pointer to the button, as a reply that pings nobody.
    if (!threadAnswers) return; // without the intent such messages never reach the bot
    const said = h.fake.play.say(cy, card!.id, 'my answer in public');
    const pointer = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${card!.id}/messages` && c.body?.message_reference?.message_id === said);
    expect(shown(pointer.body)).toMatch(/This round is blind/);
    expect(pointer.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('closes with the lesson, pings only the mentors, and suppresses mentions typed by members', async () => {
    await h.advance(HOUR); // 11:00: the open round closes
    const thread = h.fake.messagesIn(h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question of the day'))!.id);
    expect(shown(thread.at(-2))).toMatch(/Time's up[\s\S]*Key points[\s\S]*1 answer from bob/);
    const ping = thread.at(-1)!;
    expect(ping.content).toMatch(new RegExp(`^<@${cy.id}> \\d+ answers? waiting for review`));
    const pingCall = h.fake.rest.calls.find((c) => c.method === 'POST' && c.body?.content === ping.content);
    expect(pingCall?.body.allowed_mentions).toEqual({ parse: [], users: [cy.id], replied_user: false });

    await h.advance(HOUR); // 12:00: the blind round closes, showing the answers
    const blindCard = h.fake.messagesIn(blindChannel).find((m) => shown(m).startsWith('Question of the day'))!;
    const summary = h.fake.messagesIn(blindCard.id).map(shown).find((t) => t.includes('The answers'));
    expect(summary).toContain('> Private: @\u200bhere use a B-tree \\<@&42\\>');
    expect(summary).not.toMatch(/(^|[^\\])<@/);

    // Every message the bot sent declared allowed_mentions, and none allowed roles, @everyone or @here.
    const sends = h.fake.rest.calls.filter((c) => (c.method === 'POST' || c.method === 'PATCH') && MESSAGE_SENDS.test(c.path) && c.status < 300);
    const bodies = sends.map((c) => (c.path.endsWith('/callback') ? c.body.data : c.body)).filter((b) => b && ('content' in b || 'embeds' in b));
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) {
      expect(body.allowed_mentions?.parse).toEqual([]);
      expect(body.allowed_mentions?.roles).toBeUndefined();
    }
  });

  it('reviews through the modal: the answer shown first, rubric selects, feedback and best answer', async () => {
    const review = h.fake.play.slash(cy, ['review']);
    const intro = await h.fake.play.callbackOf(review);
    expect(intro.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(shown(intro.body.data)).toMatch(/Review an answer[\s\S]*An index is a sorted structure @\u200beveryone \\<@&999\\>/);
    const open = intro.body.data.components[0].components[0];
    expect(open).toMatchObject({ label: 'Open the form', style: 1 });

    // The click opens the form at once (a callback of type 9), without asking the core again.
    const reviewMessage = [...h.fake.messages.values()].find((m) => m.webhook_id && m.components.length && shown(m).includes('Review an answer'))!;
    const click = h.fake.play.click(cy, reviewMessage.id, open.custom_id);
    const modal = await h.fake.play.callbackOf(click);
    expect(modal.body.type).toBe(9);
    const fields = modal.body.data.components as { type: number; label: string; component: { type: number; custom_id: string; options?: unknown[] } }[];
    expect(fields.map((f) => [f.label, f.component.type])).toEqual([
      ['Correctness (0-4)', 3],
      ['Depth and trade-offs (0-4)', 3],
      ['Clarity (0-4)', 3],
      ['Feedback for them', 4],
      ['Best answer of this round', 23],
    ]);
    expect(fields[0]!.component.options).toHaveLength(5);

    // A submit that does not validate brings the form back with what was chosen and the problem on top.
    const blank = h.fake.play.submit(cy, modal, { correctness: '4', depth: '3', clarity: '2', feedback: '   ' });
    const told = (await h.fake.play.followUpOf(blank)).body;
    expect(shown(told)).toMatch(/^Review an answer\nAlmost there: Please write a line of feedback/);
    const retry = [...h.fake.messages.values()].filter((m) => m.webhook_id && shown(m).includes('Almost there')).at(-1)!;
    const again = await h.fake.play.callbackOf(h.fake.play.click(cy, retry.id, buttonsOf(retry).find((b) => b.label === 'Open the form')!.custom_id));
    expect(again.body.type).toBe(9);
    const kept = (again.body.data.components as { component: { custom_id: string; options?: { value: string; default?: boolean }[] } }[]).map((f) => [f.component.custom_id, f.component.options?.find((o) => o.default)?.value]);
    expect(kept.slice(0, 3)).toEqual([['correctness', '4'], ['depth', '3'], ['clarity', '2']]);
    expect(await h.t.db.selectFrom('review').selectAll().execute()).toEqual([]);

    const submit = h.fake.play.submit(cy, again, { correctness: '4', depth: '3', clarity: '3', feedback: 'Clear and right; mention write costs @everyone', best: true });
    expect(shown((await h.fake.play.followUpOf(submit)).body)).toMatch(/^Thanks! Review sent \(10\/12\)\./);
    const dm = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.dmChannel(bob.id)}/messages`);
    expect(shown(dm.body)).toMatch(/Clear and right; mention write costs @\u200beveryone/);
    expect(dm.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // A second click on the stale button opens the same form again; the core refuses a second review.
    const review2 = await h.t.db.selectFrom('review').select(['total', 'best_answer']).execute();
    expect(review2).toEqual([{ total: 10, best_answer: true }]);
  });
});
