import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`schema rules on ${backend}`, () => {
  let t: TestDb;
  let channelId: number;
  let memberId: number;
  let questionId: number;

  beforeAll(async () => {
    t = await testDb();
    await t.db.insertInto('team').values({ id: 'memory:t1', platform: 'memory', external_id: 't1', name: 'T1', timezone: 'UTC', created_at: new Date() }).execute();
    channelId = (await t.db.insertInto('channel').values({ team_id: 'memory:t1', platform_channel_id: 'C1', name: 'general' }).returning('id').executeTakeFirstOrThrow()).id;
    memberId = (await t.db.insertInto('member').values({ team_id: 'memory:t1', platform_user_id: 'U1', display_name: 'alice', role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id;
    questionId = (
      await t.db
        .insertInto('question')
        .values({ team_id: null, external_id: 'db-x', pack: 'databases', kind: 'open', category: 'technical', difficulty: 'beginner', topics: ['databases'], prompt: 'What is an index?', key_points: '[]', reference_answer: 'A sorted structure.', star_guide: null, options: null, explanation: null, status: 'active', source: 'builtin', content_hash: 'h', created_by: null, decided_by: null, retired_at: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t.close());

  const round = (localDate: string) => ({
    team_id: 'memory:t1', channel_id: channelId, kind: 'qotd' as const, question_id: questionId, schedule_id: null, quiz_id: null,
    position: null, local_date: localDate, blind: false, status: 'open' as const, closes_at: new Date(Date.now() + 3600_000),
    closed_at: null, message_ref: null, thread_ref: null,
  });

  it('allows one question of the day per channel per local date', async () => {
    await t.db.insertInto('round').values(round('2026-11-24')).execute();
    await expect(t.db.insertInto('round').values(round('2026-11-24')).execute()).rejects.toThrow(/round_qotd_once/);
    await t.db.insertInto('round').values(round('2026-11-25')).execute();
  });

  it('allows one answer per member per round and one ledger event per kind per answer', async () => {
    const r = await t.db.insertInto('round').values(round('2026-11-26')).returning('id').executeTakeFirstOrThrow();
    const answer = { team_id: 'memory:t1', round_id: r.id, member_id: memberId, body: 'An index...', choice_index: null, response_ms: null, status: 'active' as const, late: false, review_status: 'pending' as const, claimed_by: null, claim_expires_at: null, reminded_at: null };
    const a = await t.db.insertInto('answer').values(answer).returning('id').executeTakeFirstOrThrow();
    await expect(t.db.insertInto('answer').values(answer).execute()).rejects.toThrow(/answer_round_id_member_id_key|unique/);
    const event = { team_id: 'memory:t1', member_id: memberId, channel_id: channelId, round_id: r.id, answer_id: a.id, kind: 'participation' as const, points: 5 };
    await t.db.insertInto('point_event').values({ ...event, event_key: `participation:${a.id}` }).execute();
    await expect(t.db.insertInto('point_event').values({ ...event, event_key: `participation:${a.id}` }).execute()).rejects.toThrow(/unique|duplicate/);
    await expect(t.db.insertInto('point_event').values({ ...event, event_key: `other-key` }).execute()).rejects.toThrow(/point_event_once_per_answer/);
  });

  it('allows one running quiz per channel', async () => {
    const quiz = { team_id: 'memory:t1', channel_id: channelId, started_by: memberId, status: 'running' as const, params: JSON.stringify({ kind: 'choice', count: 3 }), question_ids: [questionId], seconds_per_question: 30, thread_ref: null, message_ref: null, ended_at: null };
    const first = await t.db.insertInto('quiz').values(quiz).returning('id').executeTakeFirstOrThrow();
    await expect(t.db.insertInto('quiz').values(quiz).execute()).rejects.toThrow(/quiz_one_running/);
    await t.db.updateTable('quiz').set({ status: 'finished' }).where('id', '=', first.id).execute();
    await t.db.insertInto('quiz').values(quiz).execute();
  });

  it('keeps dates as the calendar day that was stored', async () => {
    const row = await t.db.selectFrom('round').select('local_date').where('local_date', '=', '2026-11-24').executeTakeFirstOrThrow();
    expect(row.local_date).toBe('2026-11-24');
  });
});
