/**
 * Nobody else's (security): team A (Slack workspace Acme) has a pending team question, a running quiz,
 * an open round and an answer waiting for review. Team B (Slack workspace Globex, an admin) and a
 * Discord guild (a Manage Server admin) replay every kind of team A's buttons and forms with team A's
 * ids, then run the commands that show questions. Each attempt must change nothing of team A's and show
 * none of team A's words. Ids are sequential, so these are exactly the guesses an attacker would make.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../fakes/discord/payloads.js';
import { backend } from '../helpers/db.js';
import { crossWorld, type CrossWorld } from './cross-world.js';
import { member } from './discord/harness.js';

const A = 'slack:T0001';
// Team A's pending question and its answer say SECRET; its members' names are lower case.
const SECRET = /SECRET|\balice\b|\bbob\b/;
const ALICE = { user: 'UALICE', userName: 'alice' };
const HANK = { team: 'T0002', user: 'UHANK', userName: 'hank', channel: 'CG001' };
const DORA: FakeUser = member('dora', { manageGuild: true });

describe(`team isolation across two Slack workspaces and a Discord guild on ${backend}`, () => {
  let w: CrossWorld;
  const ids = { pending: 0, choiceRound: 0, openRound: 0, quiz: 0, answer: 0 };
  beforeAll(async () => {
    w = await crossWorld();
    // A member of team A proposes a question: pending until a mentor of team A approves it.
    const opened = await w.driver.command('add-question', ALICE);
    await w.settle();
    const view = w.fakeSlack.callsOf('views.open').find((c) => c.args.trigger_id === opened.triggerId)!.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    await w.driver.submit(view, { prompt: 'SECRET: how would you shard our billing ledger?', kind: 'open', topic: 'databases', difficulty: 'advanced', details: 'SECRET point one\nSECRET point two\nSECRET point three' }, ALICE);
    // An open round in C0002 that bob answers and that closes with the answer waiting for review.
    await w.driver.command('quiz kind:open count:1 seconds:60', { ...ALICE, channel: 'C0002' });
    await w.settle();
    const open = w.fakeSlack.posted({ channel: 'C0002' }).find((p) => p.text.startsWith('Question 1 of 1'))!;
    await w.driver.threadReply({ channel: 'C0002', threadTs: open.threadTs ?? open.ts, user: 'UBOB', text: 'SECRET answer by bob: partition by account id.' });
    await w.advance(61_000);
    // A running choice quiz in C0001.
    await w.driver.command('quiz kind:choice count:1 seconds:600', ALICE);
    await w.settle();
    const db = w.t.db;
    ids.pending = (await db.selectFrom('question').select('id').where('team_id', '=', A).where('status', '=', 'pending').executeTakeFirstOrThrow()).id;
    ids.openRound = (await db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('round.id').where('round.team_id', '=', A).where('question.kind', '=', 'open').executeTakeFirstOrThrow()).id;
    ids.choiceRound = (await db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('round.id').where('round.team_id', '=', A).where('question.kind', '=', 'choice').executeTakeFirstOrThrow()).id;
    ids.quiz = (await db.selectFrom('quiz').select('id').where('team_id', '=', A).where('status', '=', 'running').executeTakeFirstOrThrow()).id;
    ids.answer = (await db.selectFrom('answer').select('id').where('team_id', '=', A).where('review_status', '=', 'pending').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => w.close());

  /** Everything of team A's an attack could change, and anything anyone else holds that points at it. */
  async function teamA() {
    const db = w.t.db;
    const rounds = (await db.selectFrom('round').select('id').where('team_id', '=', A).execute()).map((r) => r.id);
    return {
      questions: await db.selectFrom('question').select(['id', 'status', 'decided_by']).where('team_id', '=', A).orderBy('id').execute(),
      answers: await db.selectFrom('answer').select(['id', 'team_id', 'member_id', 'body', 'choice_index', 'review_status', 'claimed_by', 'status']).where('round_id', 'in', rounds).orderBy('id').execute(),
      quizzes: await db.selectFrom('quiz').select(['id', 'status']).where('team_id', '=', A).orderBy('id').execute(),
      reviews: await db.selectFrom('review').select('id').where('answer_id', '=', ids.answer).execute(),
      points: await db.selectFrom('point_event').select('id').where((eb) => eb.or([eb('team_id', '=', A), eb('round_id', 'in', rounds)])).orderBy('id').execute(),
      practice: await db.selectFrom('practice_card').select(['member_id', 'team_id']).where('question_id', '=', ids.pending).execute(),
    };
  }

  /** What team B and the guild were shown so far: Globex's Web API calls and replies, all of Discord's. */
  function shown(): string[] {
    const globex = w.fakeSlack.calls.filter((c) => c.token === 'xoxb-globex').map((c) => JSON.stringify(c.args));
    const replies = w.fakeSlack.responses.filter((r) => r.id.startsWith('r') && hankResponses.has(r.id)).map((r) => JSON.stringify(r.body));
    const discord = w.fakeDiscord.rest.calls.map((c) => JSON.stringify(c.body ?? ''));
    return [...globex, ...replies, ...discord];
  }
  const hankResponses = new Set<string>();
  // Attempts of hank's that got no answer at all: neither a reply at their response_url nor a post in Globex.
  const unanswered: string[] = [];
  const globexPosts = () => w.fakeSlack.calls.filter((c) => c.token === 'xoxb-globex' && c.method.startsWith('chat.post')).length;
  /** Sends one of hank's clicks or commands; it counts as answered by a reply or by a post in his channel. */
  async function asHank(what: string, send: () => Promise<{ responseId: string }>) {
    const posts = globexPosts();
    const { responseId } = await send();
    hankResponses.add(responseId);
    await w.settle();
    if (!w.fakeSlack.responses.some((r) => r.id === responseId) && globexPosts() === posts) unanswered.push(what);
  }

  async function discordDone(sent: { token: string }) {
    await w.fakeDiscord.waitFor((c) => c.path.includes(sent.token) && !(c.path.endsWith('/callback') && [5, 6].includes(c.body?.type)), 8000, 'the interaction answered');
  }

  it('changes nothing and shows nothing of team A to team B or the guild, for every button, form and command', async () => {
    const buttonsOf = [`choice:${ids.choiceRound}:0`, `answer:${ids.openRound}`, `answer:${ids.choiceRound}`, `self:${ids.openRound}:didnt`, `pself:${ids.pending}:knew`, `pself:${ids.pending}:didnt`, `approve:${ids.pending}`, `reject:${ids.pending}`, `quiz-stop:${ids.quiz}`, 'review:next'];
    const forms: [string, Record<string, string>][] = [
      [`answer:${ids.openRound}`, { body: 'late forged answer' }],
      [`answer:${ids.choiceRound}`, { body: 'forged' }],
      [`review:${ids.answer}`, { correctness: '4', depth: '4', clarity: '4', feedback: 'forged review', best: 'true' }],
    ];
    const commands: [string, string[], Record<string, string>][] = [
      ['practice', ['practice'], {}],
      ['review', ['review'], {}],
      ['leaderboard all', ['leaderboard'], { period: 'all' }],
      ['stats', ['stats'], {}],
      ['quiz stop', ['quiz-stop'], {}],
    ];
    const discordCard = w.fakeDiscord.storeMessage(w.fakeDiscord.channelId, { content: 'a card of the guild' });
    const attempts: { who: string; what: string; run: () => Promise<void> }[] = [];
    for (const id of buttonsOf) {
      attempts.push({ who: 'globex', what: `button ${id}`, run: () => asHank(`button ${id}`, () => w.driver.click(id, HANK)) });
      attempts.push({ who: 'discord', what: `button ${id}`, run: () => discordDone(w.fakeDiscord.play.click(DORA, discordCard.id, id)) });
    }
    for (const [id, values] of forms) {
      attempts.push({ who: 'globex', what: `form ${id}`, run: async () => void (await w.driver.submit({ callback_id: id, private_metadata: JSON.stringify({ c: 'CG001' }) }, values, HANK)) });
      attempts.push({ who: 'discord', what: `form ${id}`, run: () => discordDone(w.fakeDiscord.play.submitRaw(DORA, id, values)) });
    }
    for (const [text, path, options] of commands) {
      attempts.push({ who: 'globex', what: `/dojo ${text}`, run: () => asHank(`/dojo ${text}`, () => w.driver.command(text, HANK)) });
      attempts.push({ who: 'discord', what: `/dojo ${text}`, run: () => discordDone(w.fakeDiscord.play.slash(DORA, path, options)) });
    }

    const start = await teamA();
    let before = start;
    const leaks: string[] = [];
    for (const attempt of attempts) {
      const seenBefore = new Set(shown());
      await attempt.run();
      await w.settle();
      const seen = shown().filter((s) => !seenBefore.has(s) && SECRET.test(s));
      if (seen.length) leaks.push(`${attempt.who} ${attempt.what} was shown ${seen[0]!.slice(0, 160)}`);
      const after = await teamA();
      if (JSON.stringify(after) !== JSON.stringify(before)) leaks.push(`${attempt.who} ${attempt.what} changed team A`);
      before = after;
    }
    const end = await teamA();
    // A day later a "didn't know" would be due again: /dojo practice must not bring team A's question.
    await w.advance(2 * 86_400_000);
    const later = [
      { who: 'globex', run: () => asHank('/dojo practice a day later', () => w.driver.command('practice', HANK)) },
      { who: 'discord', run: () => discordDone(w.fakeDiscord.play.slash(DORA, ['practice'])) },
    ];
    for (const attempt of later) {
      const seenBefore = new Set(shown());
      await attempt.run();
      await w.settle();
      const seen = shown().filter((s) => !seenBefore.has(s) && SECRET.test(s));
      if (seen.length) leaks.push(`${attempt.who} /dojo practice a day later was shown ${seen[0]!.slice(0, 160)}`);
    }
    // Every attempt was answered (none refused at the door, which would prove nothing): privately, or
    // in hank's channel for what is shown there (the board).
    expect(unanswered).toEqual([]);
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ attempts: attempts.length + later.length, leaks: leaks.length }));
    expect(attempts.length).toBe(36);
    expect(leaks).toEqual([]);
    expect(end).toEqual(start);
    // The ids were the right ones: team A's own admin approves the question with the same button.
    const approved = await w.driver.click(`approve:${ids.pending}`, { user: 'UADA', userName: 'ada' });
    await w.settle();
    expect(w.fakeSlack.responses.find((r) => r.id === approved.responseId)?.body.text).toMatch(/^Approved/);
  });
});
