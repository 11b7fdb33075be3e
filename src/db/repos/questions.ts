import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { BankQuestion } from '../../core/question-model.js';
import type { Executor } from '../index.js';
import { executor, type Handle } from '../handle.js';
import type { Updateable } from 'kysely';
import type { NewQuestionRow, QuestionRow, QuestionTable } from '../schema/question.js';
import { assertInTransaction } from '../tx.js';

// A fixed key for "the bank sync", apart from the migrator's.
const BANK_SYNC_LOCK = 4_207_331_102;

export interface SyncOutcome {
  added: number;
  updated: number;
  retired: number;
  unchanged: number;
}

/** Rows per insert when the bank is synced (about 20 parameters a row, well under Postgres's 65,535). */
const INSERT_BATCH = 100;

/**
 * Makes the built-in questions in the database match the bank, keyed by stable id: new ones are added,
 * changed ones updated in place (rounds keep pointing at them), missing ones retired, never deleted, so
 * the history of rounds and answers stays whole. Running it twice changes nothing the second time.
 */
export async function syncBuiltinQuestions(trx: Executor, bank: BankQuestion[], now: Date): Promise<SyncOutcome> {
  assertInTransaction(trx);
  // One sync at a time across instances (a transaction lock: it works through a pooler and ends with the
  // commit); the next one reads what the first wrote and finds nothing to add.
  // Instances starting together wait here for the first one's sync, which writes hundreds of rows:
  // longer than a request's lock and statement timeouts allow, so this transaction has its own.
  await sql`set local lock_timeout = '5min'`.execute(trx);
  await sql`set local statement_timeout = '10min'`.execute(trx);
  await sql`select pg_advisory_xact_lock(${BANK_SYNC_LOCK})`.execute(trx);
  const existing = await trx
    .selectFrom('question')
    .select(['id', 'external_id', 'content_hash', 'status'])
    .where('source', '=', 'builtin')
    .forUpdate()
    .execute();
  const byId = new Map(existing.map((row) => [row.external_id, row]));
  const outcome: SyncOutcome = { added: 0, updated: 0, retired: 0, unchanged: 0 };

  const fresh = [];
  for (const q of bank) {
    const values = toRow(q);
    const row = byId.get(q.id);
    if (!row) {
      fresh.push({ ...values, external_id: q.id, source: 'builtin' as const, team_id: null, status: 'active' as const, created_at: now, updated_at: now });
    } else if (row.content_hash !== values.content_hash || row.status !== 'active') {
      await trx
        .updateTable('question')
        .set({ ...values, status: 'active', retired_at: null, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      outcome.updated++;
    } else {
      outcome.unchanged++;
    }
    byId.delete(q.id);
  }
  // New questions go in a batch at a time: a first start adds the whole bank, and a statement per
  // question was most of its import (670 round trips).
  for (let i = 0; i < fresh.length; i += INSERT_BATCH) {
    const batch = fresh.slice(i, i + INSERT_BATCH);
    const added = await trx
      .insertInto('question')
      .values(batch)
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returning('id')
      .execute();
    outcome.added += added.length;
    outcome.unchanged += batch.length - added.length;
  }
  const gone = [...byId.values()].filter((row) => row.status === 'active').map((row) => row.id);
  if (gone.length > 0) {
    await trx.updateTable('question').set({ status: 'retired', retired_at: now, updated_at: now }).where('id', 'in', gone).execute();
  }
  outcome.retired = gone.length;
  return outcome;
}

function toRow(q: BankQuestion) {
  const content = {
    pack: q.pack,
    kind: q.kind,
    category: q.category,
    difficulty: q.difficulty,
    topics: q.topics,
    prompt: q.prompt,
    key_points: JSON.stringify(q.keyPoints),
    reference_answer: q.referenceAnswer ?? null,
    star_guide: q.starGuide ? JSON.stringify(q.starGuide) : null,
    options: q.options ? JSON.stringify(q.options) : null,
    explanation: q.explanation ?? null,
    follow_ups: q.followUps ? JSON.stringify(q.followUps) : null,
    hint: q.hint ?? null,
    further_reading: q.furtherReading ? JSON.stringify(q.furtherReading) : null,
  };
  return { ...content, content_hash: createHash('sha256').update(JSON.stringify(content)).digest('hex') };
}

export interface PoolFilter {
  topics?: string[];
  categories?: string[];
  difficulty?: string;
  kinds?: ('open' | 'choice')[];
}

/** Active questions a team may be asked: the built-in bank plus the team's approved questions. */
export async function questionPool(handle: Handle, teamId: string, filter: PoolFilter = {}) {
  const db = executor(handle);
  let q = db
    .selectFrom('question')
    .select(['id', 'topics', 'difficulty', 'kind', 'category'])
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('team_id', 'is', null), eb('team_id', '=', teamId)]));
  if (filter.topics?.length) q = q.where(sql<boolean>`topics && ${sql.val(filter.topics)}::text[]`);
  if (filter.categories?.length) q = q.where('category', 'in', filter.categories as QuestionRow['category'][]);
  if (filter.difficulty) q = q.where('difficulty', '=', filter.difficulty as QuestionRow['difficulty']);
  if (filter.kinds?.length) q = q.where('kind', 'in', filter.kinds);
  return q.orderBy('id').execute();
}

/** Every topic of the team's active pool, to check a topic someone typed. */
export async function knownTopics(handle: Handle, teamId: string): Promise<string[]> {
  const db = executor(handle);
  const rows = await sql<{ topic: string }>`
    select distinct unnest(topics) as topic from question
    where status = 'active' and (team_id is null or team_id = ${teamId}) order by topic`.execute(db);
  return rows.rows.map((r) => r.topic);
}

/**
 * A question by id as one team may know it: a built-in one or the team's own (in any status: mentors
 * decide on pending ones). Ids are sequential and arrive in buttons and forms, so the team is part of
 * every lookup: another team's question is simply not found.
 */
export async function findQuestion(handle: Handle, teamId: string, id: number): Promise<QuestionRow | undefined> {
  return teamQuestion(handle, teamId, id).executeTakeFirst();
}

/**
 * Questions by team and id in one statement (a batch of due schedules, issue 13), each as findQuestion
 * finds it: built-in, or that team's own; keyed `${teamId}:${id}`, absent where findQuestion finds none.
 */
export async function findQuestions(handle: Handle, wanted: { teamId: string; id: number }[]): Promise<Map<string, QuestionRow>> {
  const found = new Map<string, QuestionRow>();
  if (wanted.length === 0) return found;
  const teams = [...new Set(wanted.map((w) => w.teamId))];
  const rows = await executor(handle)
    .selectFrom('question')
    .selectAll()
    .where('id', 'in', [...new Set(wanted.map((w) => w.id))])
    .where((eb) => eb.or([eb('team_id', 'is', null), eb('team_id', 'in', teams)]))
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const w of wanted) {
    const row = byId.get(w.id);
    // A team's own question is found for that team only.
    if (row && (row.team_id === null || row.team_id === w.teamId)) found.set(`${w.teamId}:${w.id}`, row);
  }
  return found;
}

/** The query for question `id` among the built-in ones and the team's own. */
function teamQuestion(handle: Handle, teamId: string, id: number) {
  return executor(handle)
    .selectFrom('question')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('team_id', 'is', null), eb('team_id', '=', teamId)]));
}

/**
 * A question a team's members may see: built-in or the team's own, approved (active or since retired).
 * Pending and rejected team questions never reach anyone but the team's mentors.
 */
export async function findVisibleQuestion(handle: Handle, teamId: string, id: number): Promise<QuestionRow | undefined> {
  return teamQuestion(handle, teamId, id).where('status', 'in', ['active', 'retired']).executeTakeFirst();
}

/** The areas of the team's active pool: a built-in question's pack, a team question's first topic. */
export async function topicAreas(handle: Handle, teamId: string): Promise<string[]> {
  const db = executor(handle);
  const rows = await sql<{ area: string }>`
    select distinct coalesce(pack, topics[1]) as area from question
    where status = 'active' and (team_id is null or team_id = ${teamId}) and coalesce(pack, topics[1]) is not null
    order by area`.execute(db);
  return rows.rows.map((r) => r.area);
}

/** The team's own questions (any status), newest first. */
export async function teamQuestions(handle: Handle, teamId: string, limit = 25): Promise<QuestionRow[]> {
  const db = executor(handle);
  return db.selectFrom('question').selectAll().where('team_id', '=', teamId).where('source', '=', 'team').orderBy('id', 'desc').limit(limit).execute();
}

/** One of the team's own questions, locked for a change. */
export async function findTeamQuestion(handle: Handle, teamId: string, id: number): Promise<QuestionRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('question').selectAll().where('team_id', '=', teamId).where('source', '=', 'team').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** What a member writes in a team question (the rest is the dojo's bookkeeping). */
export type TeamQuestionContent = Pick<NewQuestionRow, 'kind' | 'category' | 'difficulty' | 'topics' | 'prompt' | 'key_points' | 'reference_answer' | 'options' | 'explanation'>;

/** A team question a member proposes: pending until a mentor decides. */
export async function proposeTeamQuestion(handle: Handle, teamId: string, content: TeamQuestionContent, createdBy: number, now: Date): Promise<QuestionRow> {
  const db = executor(handle);
  return db
    .insertInto('question')
    .values({
      team_id: teamId,
      external_id: `team-${randomBytes(6).toString('hex')}`,
      pack: null,
      ...content,
      star_guide: null,
      status: 'pending',
      source: 'team',
      content_hash: '',
      created_by: createdBy,
      decided_by: null,
      created_at: now,
      updated_at: now,
      retired_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateTeamQuestion(handle: Handle, teamId: string, id: number, set: Updateable<QuestionTable>): Promise<void> {
  const db = executor(handle);
  await db.updateTable('question').set(set).where('team_id', '=', teamId).where('source', '=', 'team').where('id', '=', id).execute();
}

/** The built-in bank's active topics, lower-cased and sorted (Discord's topic autocomplete). */
export async function builtinTopics(handle: Handle): Promise<string[]> {
  const db = executor(handle);
  const rows = await sql<{ topic: string }>`
    select distinct lower(t) as topic from question, unnest(topics) t
    where status = 'active' and team_id is null order by topic`.execute(db);
  return rows.rows.map((r) => r.topic);
}

/** The topics of a team's own active questions. */
export async function teamTopics(handle: Handle, teamId: string): Promise<string[]> {
  const db = executor(handle);
  const rows = await sql<{ topic: string }>`
    select distinct unnest(topics) as topic from question
    where status = 'active' and source = 'team' and team_id = ${teamId} order by topic`.execute(db);
  return rows.rows.map((r) => r.topic);
}

/** Remembers a reviewer's Approve/Reject card for a team question (a direct message). */
export async function saveDecisionCard(handle: Handle, teamId: string, questionId: number, messageRef: string): Promise<void> {
  const db = executor(handle);
  await db.insertInto('question_card').values({ team_id: teamId, question_id: questionId, message_ref: messageRef }).onConflict((oc) => oc.doNothing()).execute();
}

/** The Approve/Reject cards sent for a team question. */
export async function decisionCards(handle: Handle, teamId: string, questionId: number): Promise<string[]> {
  const db = executor(handle);
  const rows = await db.selectFrom('question_card').select('message_ref').where('team_id', '=', teamId).where('question_id', '=', questionId).execute();
  return rows.map((r) => r.message_ref);
}
