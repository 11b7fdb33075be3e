/**
 * The statements a batch of due schedules writes with (issue 13: one a batch, not one a channel): they
 * keep the one-by-one rules — a team's own question stays the team's, one question of the day per
 * channel and date, and only the owner still holding a post saves its round's refs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishPostedRounds, insertClaimedOutbox } from '../../src/db/repos/outbox.js';
import { findQuestions } from '../../src/db/repos/questions.js';
import { createRounds } from '../../src/db/repos/rounds.js';
import { batchedOutbox, unitOfWork } from '../../src/db/tx.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`fan-out batch statements on ${backend}`, () => {
  let t: TestDb;
  const channels: number[] = [];
  let builtin: number;
  let ownA: number;

  const question = (teamId: string | null, externalId: string) => ({
    team_id: teamId, external_id: externalId, pack: 'databases', kind: 'open' as const, category: 'technical' as const, difficulty: 'beginner' as const, topics: ['databases'],
    prompt: `Question ${externalId}?`, key_points: '[]', reference_answer: 'An answer.', star_guide: null, options: null, explanation: null,
    status: 'active' as const, source: teamId ? ('team' as const) : ('builtin' as const), content_hash: externalId, created_by: null, decided_by: null, retired_at: null,
  });
  const round = (channelId: number, localDate: string) => ({
    team_id: 'memory:a', channel_id: channelId, kind: 'qotd' as const, question_id: builtin, schedule_id: null, quiz_id: null, position: null,
    local_date: localDate, blind: false, status: 'open' as const, opened_at: new Date(), closes_at: new Date(Date.now() + 3600_000),
    closed_at: null, message_ref: null, thread_ref: null, started_by: null,
  });

  beforeAll(async () => {
    t = await testDb();
    for (const id of ['a', 'b']) await t.db.insertInto('team').values({ id: `memory:${id}`, platform: 'memory', external_id: id, name: id, timezone: 'UTC', created_at: new Date() }).execute();
    for (const c of ['C1', 'C2', 'C3']) channels.push((await t.db.insertInto('channel').values({ team_id: 'memory:a', platform_channel_id: c, name: c }).returning('id').executeTakeFirstOrThrow()).id);
    builtin = (await t.db.insertInto('question').values(question(null, 'fb-builtin')).returning('id').executeTakeFirstOrThrow()).id;
    ownA = (await t.db.insertInto('question').values(question('memory:a', 'fb-own-a')).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t.close());

  it('finds a team its own questions and the built-in ones, never another team its questions', async () => {
    const found = await findQuestions(t.db, [
      { teamId: 'memory:a', id: builtin },
      { teamId: 'memory:a', id: ownA },
      { teamId: 'memory:b', id: builtin },
      { teamId: 'memory:b', id: ownA },
      { teamId: 'memory:a', id: 999_999 },
    ]);
    expect([...found.keys()].sort()).toEqual([`memory:a:${builtin}`, `memory:a:${ownA}`, `memory:b:${builtin}`].sort());
    expect(found.get(`memory:a:${ownA}`)?.prompt).toBe('Question fb-own-a?');
  });

  it("inserts a batch's rounds and skips a channel's second question of the day for a date, in the batch or before it", async () => {
    await createRounds(t.db, [round(channels[0]!, '2026-12-01')]);
    const created = await createRounds(t.db, [round(channels[0]!, '2026-12-01'), round(channels[1]!, '2026-12-01'), round(channels[1]!, '2026-12-01'), round(channels[2]!, '2026-12-01')]);
    expect(created.map((r) => r.channel_id).sort()).toEqual([channels[1]!, channels[2]!].sort());
    const all = await t.db.selectFrom('round').select('channel_id').where('local_date', '=', '2026-12-01').execute();
    expect(all).toHaveLength(3);
  });

  it("marks sent only the posts their owner still holds; a stale owner's round keeps its refs, and every thread is remembered", async () => {
    const [r1, r2] = await createRounds(t.db, [round(channels[0]!, '2026-12-02'), round(channels[1]!, '2026-12-02')]);
    const row = (roundId: number, owner: string) =>
      insertClaimedOutbox(t.db, { team_id: 'memory:a', channel_id: null, schedule_id: null, round_id: roundId, payload: {}, now: new Date() }, { owner, leaseMs: 60_000 });
    const held = await row(r1!.id, 'owner-1');
    const taken = await row(r2!.id, 'owner-now');
    const at = new Date();
    const marked = await finishPostedRounds(t.db, [
      { id: held.id, owner: 'owner-1', team_id: 'memory:a', round_id: r1!.id, message: 'm1', thread: 't1', at },
      // Its lease ran out and another owner holds it now: this one changes nothing but the thread it made.
      { id: taken.id, owner: 'owner-stale', team_id: 'memory:a', round_id: r2!.id, message: 'm2', thread: 't2', at },
    ]);
    expect([...marked]).toEqual([held.id]);
    const rounds = await t.db.selectFrom('round').select(['id', 'message_ref', 'thread_ref']).where('id', 'in', [r1!.id, r2!.id]).orderBy('id').execute();
    expect(rounds).toEqual([
      { id: r1!.id, message_ref: 'm1', thread_ref: 't1' },
      { id: r2!.id, message_ref: null, thread_ref: null },
    ]);
    const outbox = await t.db.selectFrom('outbox').select(['id', 'status', 'owner']).where('id', 'in', [held.id, taken.id]).orderBy('id').execute();
    expect(outbox).toEqual([
      { id: held.id, status: 'sent', owner: null },
      { id: taken.id, status: 'pending', owner: 'owner-now' },
    ]);
    const threads = await t.db.selectFrom('posted_thread').select(['round_id', 'thread_ref']).where('round_id', 'in', [r1!.id, r2!.id]).orderBy('round_id').execute();
    expect(threads).toEqual([
      { round_id: r1!.id, thread_ref: 't1' },
      { round_id: r2!.id, thread_ref: 't2' },
    ]);
  });
  it("writes a batch's outbox rows in one statement inside its transaction, each back to the send that queued it, and none when it rolls back", async () => {
    const queue = (ctx: Parameters<typeof batchedOutbox>[1], owner: string) =>
      ctx.closing!.outbox({ team_id: 'memory:a', channel_id: null, schedule_id: null, round_id: null, payload: { owner }, now: new Date(), correlation_id: null, owner, leaseMs: 60_000 });
    const owners = ['batch-1', 'batch-2', 'batch-3'];
    const rows = await unitOfWork(t.db, async (trx, tx) => {
      const batch = batchedOutbox(trx, tx);
      const queued = owners.map((o) => queue(batch.ctx, o));
      await batch.flush();
      return Promise.all(queued);
    });
    expect(rows.map((r) => [r.owner, r.payload, r.claims])).toEqual(owners.map((o) => [o, { owner: o }, 1]));
    await expect(
      unitOfWork(t.db, async (trx, tx) => {
        const batch = batchedOutbox(trx, tx);
        void queue(batch.ctx, 'batch-rolled-back');
        await batch.flush();
        throw new Error('the batch failed after its flush');
      }),
    ).rejects.toThrow('the batch failed');
    const kept = await t.db.selectFrom('outbox').select('owner').where('owner', 'like', 'batch-%').orderBy('id').execute();
    expect(kept.map((r) => r.owner)).toEqual(owners);
  });
});
