/** Rows the database tests need and no flow makes for them. */
import type { Executor } from '../../src/db/index.js';

/** A built-in open question (no team), for rounds a test inserts itself; its id. */
export async function insertQuestion(db: Executor, externalId: string): Promise<number> {
  const row = await db
    .insertInto('question')
    .values({ team_id: null, external_id: externalId, pack: 'databases', kind: 'open', category: 'technical', difficulty: 'beginner', topics: ['databases'], prompt: 'What is an index?', key_points: '[]', reference_answer: 'A sorted structure.', star_guide: null, options: null, explanation: null, status: 'active', source: 'builtin', content_hash: externalId, created_by: null, decided_by: null, retired_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An answer row: active, on time, not reviewed, unless `over` says otherwise. */
export function answerRow(teamId: string, roundId: number, memberId: number, over: { status?: 'active' | 'withdrawn'; late?: boolean } = {}) {
  return { team_id: teamId, round_id: roundId, member_id: memberId, body: 'x', choice_index: null, response_ms: null, status: over.status ?? ('active' as const), late: over.late ?? false, review_status: 'none' as const, claimed_by: null, claim_expires_at: null, reminded_at: null };
}

/**
 * Runs `write` in a transaction of its own and keeps that transaction open until `release()`: another
 * connection can then act while the write is uncommitted. `written` resolves once the write is done.
 */
export function heldOpen(db: Executor, write: (trx: Executor) => Promise<unknown>) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = db.transaction().execute(async (trx) => {
    await write(trx);
    wrote();
    await held;
  });
  return { written, release, done };
}
