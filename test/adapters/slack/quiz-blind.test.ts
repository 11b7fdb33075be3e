/**
 * A quiz round answered with button clicks, and a blind round answered privately in a modal, through
 * the real Bolt App and core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escape } from '../../../adapters/slack/text.js';
import { LETTERS } from '../../../src/core/render.js';
import { answersOfRound } from '../../../src/db/repos/answers.js';
import { backend } from '../../helpers/db.js';
import { blockTexts, buttons, world, type World } from './world.js';

const ADA = { user: 'UADA', userName: 'ada' };
const ALICE = { user: 'UALICE', userName: 'alice' };
const BOB = { user: 'UBOB', userName: 'bob' };

describe(`quiz and blind rounds on Slack, ${backend}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ start: new Date('2026-11-23T07:00:00Z') });
  });
  afterAll(async () => w.close());

  async function correctIndex(roundId: number): Promise<number> {
    const row = await w.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    return (row.options as { correct: boolean }[]).findIndex((o) => o.correct);
  }

  it('runs a quiz in a thread: clicks answer, the correct ones score, standings at the end', async () => {
    const start = await w.driver.command('quiz topic:databases kind:choice count:2 seconds:30', { ...ALICE, channel: 'C0004' });
    expect(start.status).toBe(200);
    await w.settle();
    const announcement = w.fake.posted({ channel: 'C0004' }).find((p) => p.text.startsWith('Quiz time'))!;
    expect(announcement).toBeDefined();
    expect(buttons(announcement.blocks).get('Stop quiz')).toMatch(/^quiz-stop:\d+$/);

    for (let position = 0; position < 2; position++) {
      const questions = w.fake.posted({ channel: 'C0004', threadTs: announcement.ts }).filter((p) => p.text.startsWith(`Question ${position + 1} of 2`));
      expect(questions).toHaveLength(1);
      const card = questions[0]!;
      const ids = buttons(card.blocks);
      const roundId = Number(ids.get('A')!.split(':')[1]);
      const right = await correctIndex(roundId);
      const wrong = (right + 1) % ids.size;
      const a = await w.driver.click(ids.get(LETTERS[right]!)!, { ...ALICE, channel: 'C0004', messageTs: card.ts, threadTs: announcement.ts });
      await w.advance(5_000);
      const b = await w.driver.click(ids.get(LETTERS[wrong]!)!, { ...BOB, channel: 'C0004', messageTs: card.ts, threadTs: announcement.ts });
      await w.settle();
      expect(w.fake.responses.find((r) => r.id === a.responseId)?.body).toMatchObject({ response_type: 'ephemeral', text: `Got it: ${LETTERS[right]}. You can change it until the question closes.` });
      expect(w.fake.responses.find((r) => r.id === b.responseId)?.body.text).toMatch(/^Got it/);
      await w.advance(30_000);
      const closed = w.fake.posted({ channel: 'C0004', threadTs: announcement.ts }).find((p) => p.text.startsWith(`Time's up: question ${position + 1}`));
      expect(closed?.text).toMatch(/Correct: alice\./);
      expect(blockTexts(closed!.blocks).some((t) => t.startsWith('```\nOption'))).toBe(true);
    }
    const standings = w.fake.posted({ channel: 'C0004', threadTs: announcement.ts }).find((p) => p.text.startsWith('Quiz over'));
    const table = blockTexts(standings!.blocks).find((t) => t.startsWith('```'));
    expect(table).toMatch(/#\s+Member\s+Points\s+Correct/);
    expect(table).toMatch(/1\s+alice\s+\d+\s+2/);
  });

  it('closes a quiz question with why the wrong option someone picked is wrong', async () => {
    await w.driver.command('quiz topic:http-caching kind:choice count:1 seconds:30', { ...ALICE, channel: 'C0005' });
    await w.settle();
    const announcement = w.fake.posted({ channel: 'C0005' }).find((p) => p.text.startsWith('Quiz time'))!;
    const card = w.fake.posted({ channel: 'C0005', threadTs: announcement.ts }).find((p) => p.text.startsWith('Question 1 of 1'))!;
    const ids = buttons(card.blocks);
    const roundId = Number(ids.get('A')!.split(':')[1]);
    const row = await w.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const wrong = row.options!.findIndex((o) => !o.correct);
    await w.driver.click(ids.get(LETTERS[wrong]!)!, { ...BOB, channel: 'C0005', messageTs: card.ts, threadTs: announcement.ts });
    await w.advance(31_000);
    const closed = w.fake.posted({ channel: 'C0005', threadTs: announcement.ts }).find((p) => p.text.startsWith("Time's up"))!;
    const texts = blockTexts(closed.blocks);
    expect(texts).toContain('Why the picked wrong answer is wrong');
    expect(texts).toContain(escape(`• ${LETTERS[wrong]}. ${row.options![wrong]!.text}: ${row.options![wrong]!.why}`));
  });

  it('runs a blind round: "Answer privately" opens a modal, thread replies are turned away, answers show at the close', async () => {
    await w.driver.command('schedule set days:daily time:09:00 tz:UTC window:1h kind:open blind:yes', { ...ADA, channel: 'C0002' });
    await w.advance(Date.parse('2026-11-23T09:00:00Z') - w.clock.now().getTime());
    const card = w.fake.posted({ channel: 'C0002' }).find((p) => p.text.startsWith('Question of the day'))!;
    expect(card).toBeDefined();
    const answerId = buttons(card.blocks).get('Answer privately')!;
    expect(answerId).toMatch(/^answer:\d+$/);

    const click = await w.driver.click(answerId, { ...ALICE, channel: 'C0002', messageTs: card.ts });
    await w.settle();
    const view = w.fake.callsOf('views.open').find((c) => c.args.trigger_id === click.triggerId)?.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(answerId);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: 'C0002', t: card.ts });
    const sent = await w.driver.submit(view, { body: 'Use <!here> a covering index so the query never touches the heap.' }, ALICE);
    expect(sent.status).toBe(200);
    await w.settle();
    const thanks = w.fake.callsOf('chat.postEphemeral').find((c) => c.args.user === 'UALICE' && String(c.args.text).startsWith('Thanks! Your answer stays hidden'));
    expect(thanks?.args).toMatchObject({ channel: 'C0002', thread_ts: card.ts });

    // Bob's answer fits the modal's 3,000 characters, but not a Slack section once & < > are escaped.
    const long = 'if a < b && b > c then a & c differ; '.repeat(80).trim();
    const bobClick = await w.driver.click(answerId, { ...BOB, channel: 'C0002', messageTs: card.ts });
    await w.settle();
    const bobView = w.fake.callsOf('views.open').find((c) => c.args.trigger_id === bobClick.triggerId)?.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    await w.driver.submit(bobView, { body: long }, BOB);

    const reply = await w.driver.threadReply({ ...BOB, channel: 'C0002', threadTs: card.ts, text: 'my public answer' });
    expect(reply.status).toBe(200);
    await w.settle();
    const turnedAway = w.fake.callsOf('chat.postEphemeral').find((c) => c.args.user === 'UBOB' && String(c.args.text).includes('blind'));
    expect(turnedAway?.args).toMatchObject({ channel: 'C0002', thread_ts: card.ts, text: expect.stringMatching(/This round is blind/) });
    expect(w.fake.posted({ channel: 'C0002', threadTs: card.ts })).toHaveLength(0);

    await w.advance(3_600_000);
    const closing = w.fake.posted({ channel: 'C0002', threadTs: card.ts }).find((p) => p.text.startsWith("Time's up"));
    const texts = blockTexts(closing!.blocks).join('\n');
    expect(texts).toContain('Use &lt;!here&gt; a covering index so the query never touches the heap.');
    expect(texts).toContain('alice wrote:');
    const bobQuote = blockTexts(closing!.blocks).find((t) => t.startsWith('if a &lt; b &amp;&amp; b &gt; c'))!;
    expect(bobQuote.length).toBeLessThanOrEqual(3000);
    expect(bobQuote).toMatch(/… \(shortened here; the full text is kept\)$/);
    const rounds = await w.t.db.selectFrom('round').select('id').where('blind', '=', true).execute();
    const answers = await answersOfRound(w.t.db, rounds[0]!.id);
    expect(answers.map((a) => a.display_name).sort()).toEqual(['alice', 'bob']);
    expect(answers.find((a) => a.display_name === 'bob')?.body).toBe(long);
  });
});
