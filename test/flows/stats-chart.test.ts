/**
 * The picture in /dojo stats: drawn from the member's own history in the team's time zone (points and
 * right answers per week, topics by strength), sent with the private reply, and the words unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardChart, statsHeight } from '../../src/charts/index.js';
import { send } from '../../src/core/outbox.js';
import { textMessage } from '../../src/core/messages.js';
import { transaction } from '../../src/db/tx.js';
import { statsChartData, weekBounds } from '../../src/core/stats-chart.js';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz, harness, type Harness } from '../helpers/dojo.js';
import { HeldDrawing } from '../helpers/drawing.js';
import { isPng, pngSize } from '../helpers/png.js';

const advanceTo = (h: Harness, at: string) => h.advance(new Date(at).getTime() - h.clock.now().getTime());

describe('the weeks of the stats chart', () => {
  it('start on the team’s local Mondays, across a daylight-saving change', () => {
    // Berlin leaves summer time on Sunday 25 Oct 2026: Mondays before are 22:00Z, after 23:00Z.
    const bounds = weekBounds(new Date('2026-11-04T12:00:00Z'), 'Europe/Berlin', 3);
    expect(bounds.map((b) => b.toISOString())).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z', '2026-11-01T23:00:00.000Z', '2026-11-08T23:00:00.000Z']);
  });
});

describe(`the stats chart on ${backend}`, () => {
  let h: Harness;
  let bob: UserRef;
  let cy: UserRef;
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-16T07:00:00Z') }); // a Monday, UTC team
    bob = h.user('bob');
    cy = h.user('cy');
  });
  afterAll(async () => h.close());

  it('sums each week’s points and right answers, and ranks topics', async () => {
    await choiceQuiz(h, bob, [[bob, true], [cy, false]], { topic: 'databases' }); // week of 16 Nov: bob 2 + 5 + 5
    await advanceTo(h, '2026-11-24T07:00:00Z');
    await choiceQuiz(h, bob, [[bob, false]], { topic: 'security' }); // week of 23 Nov: bob 2, wrong
    const member = await h.t.db.selectFrom('member').select('id').where('platform_user_id', '=', 'U_bob').executeTakeFirstOrThrow();
    const team = await h.t.db.selectFrom('team').select(['id', 'timezone']).executeTakeFirstOrThrow();
    const data = await statsChartData({ trx: h.t.db, now: h.clock.now() }, team, { id: member.id, name: 'bob' });
    expect(data.weeks).toHaveLength(12);
    expect(data.weeks.slice(-3)).toEqual([
      { label: '9 Nov', points: 0, scored: 0, correctRate: null },
      { label: '16 Nov', points: 12, scored: 1, correctRate: 1 },
      { label: '23 Nov', points: 2, scored: 1, correctRate: 0 },
    ]);
    expect(data.topics.map((t) => [t.score, t.answers])).toEqual([[1, 1], [0, 1]]);
  });

  it('follows the private stats reply as a PNG of its own, the words at once and saying so', async () => {
    const out = await h.cmd(cy, 'stats <@U_bob>');
    expect(out.reply?.visibility).toBe('ephemeral');
    expect(out.reply?.text).toMatch(/^Stats for bob\nAnswers: 2 · Points: 14 · /);
    expect(out.reply?.text).toMatch(/\nYour chart follows in a moment\.$/);
    const [image, ...more] = (await out.pictures?.images) ?? [];
    expect(more).toEqual([]);
    expect(isPng(image!.bytes)).toBe(true);
    expect(pngSize(image!.bytes)).toEqual({ width: 800, height: statsHeight(2) });
    expect(image!.alt).toMatch(/^bob's points per week for the last 12 weeks: 14 in all, best the week of 16 Nov with 12\. Right answers: 0% in the latest week/);
  });

  it('keeps a post’s pictures through the outbox, byte for byte, on its retry too (the weekly recap’s way)', async () => {
    const board = await boardChart([{ name: 'bob', points: 14 }, { name: 'cy', points: 2 }], { title: 'This week' });
    const team = await h.t.db.selectFrom('team').select('id').executeTakeFirstOrThrow();
    h.chat.failNext('unavailable', 1, ['post']);
    await transaction(h.t.db, (trx, tx) =>
      send({ deps: h.dojo.deps, trx, tx, now: h.clock.now() }, { teamId: team.id }, { kind: 'post', channel: 'C9', message: { ...textMessage('The week in review'), files: [board] } }),
    );
    expect(h.chat.sent.filter((s) => s.to === 'C9')).toEqual([]);
    // JSON has no bytes: the row keeps the PNG as base64.
    const row = await h.t.db.selectFrom('outbox').select('payload').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(row.payload)).toContain(`"base64":"${Buffer.from(board.bytes).toString('base64')}"`);
    await h.advance(60_000); // the retry, from the stored row
    const [posted, ...again] = h.chat.sent.filter((s) => s.to === 'C9');
    expect(again).toEqual([]);
    const [file] = posted!.message.files!;
    expect(file).toMatchObject({ name: 'dojo-board.png', alt: 'This week: 1. bob 14, 2. cy 2.' });
    expect(Buffer.compare(Buffer.from(file!.bytes), Buffer.from(board.bytes))).toBe(0);
  });

  it('draws nothing for someone without stats', async () => {
    const out = await h.cmd(cy, 'stats <@U_nobody>');
    expect(out.reply?.text).toBe('I have no stats for them yet.');
    expect(out.pictures).toBeUndefined();
  });
});

describe(`stats when the drawing is held, full or broken, on ${backend}`, () => {
  let h: Harness;
  let drawing: HeldDrawing;
  beforeAll(async () => {
    // One drawing at a time and one waiting: the third chart offered finds it full.
    drawing = new HeldDrawing({ concurrency: 1, waiting: 1 });
    h = await harness({ start: new Date('2026-11-16T07:00:00Z'), drawing });
  });
  afterAll(async () => h.close());

  it('answers in words at once, skips the chart past the bound and says so, and draws the rest once free', async () => {
    const first = await h.cmd(h.user('bob'), 'stats');
    const second = await h.cmd(h.user('cy'), 'stats');
    const third = await h.cmd(h.user('dee'), 'stats');
    // All three have their words while nothing is drawn yet.
    expect([first, second, third].map((o) => o.reply?.text.split('\n')[0])).toEqual(['Stats for bob', 'Stats for cy', 'Stats for dee']);
    expect(first.reply?.text).toMatch(/Your chart follows in a moment\.$/);
    expect(second.reply?.text).toMatch(/Your chart follows in a moment\.$/);
    expect(third.reply?.text).toMatch(/No chart this time: I am drawing a lot of them just now\. Ask again in a minute for yours\.$/);
    expect(third.pictures).toBeUndefined();
    expect(drawing.reached).toBe(1);
    drawing.release();
    const [a, b] = await Promise.all([first.pictures!.images, second.pictures!.images]);
    expect([a.length, b.length]).toEqual([1, 1]);
    expect(isPng(b[0]!.bytes)).toBe(true);
    // Free again: the next one is drawn.
    expect((await (await h.cmd(h.user('dee'), 'stats')).pictures?.images)?.length).toBe(1);
  });

  it('tells the person when a promised chart could not be drawn', async () => {
    drawing.broken = true;
    const out = await h.cmd(h.user('bob'), 'stats');
    expect(out.reply?.text).toMatch(/Your chart follows in a moment\.$/);
    expect(await out.pictures?.images).toEqual([]);
    expect(out.pictures?.failed).toBe("I couldn't draw your chart this time; the numbers above say it all.");
    drawing.broken = false;
  });
});
