/**
 * A choice click in two statements (issue 13): the round with its question's option count, then the
 * member's pick inserted or changed in one upsert that also says what it was before. The click used to
 * read the round, the question and the answer and then write, each a round trip of its own.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { RoundRow } from '../schema/round.js';

/** The round (the team's own) and how many options its question has (0 for an open question). */
export async function choiceRound(handle: Handle, teamId: string, roundId: number): Promise<(RoundRow & { option_count: number }) | undefined> {
  const db = executor(handle);
  const row = await db
    .selectFrom('round')
    .innerJoin('question', 'question.id', 'round.question_id')
    .selectAll('round')
    .select(sql<number>`coalesce(jsonb_array_length(question.options), 0)`.as('option_count'))
    .where('round.team_id', '=', teamId)
    .where('round.id', '=', roundId)
    .where((eb) => eb.or([eb('question.team_id', 'is', null), eb('question.team_id', '=', teamId)]))
    .executeTakeFirst();
  return row ? { ...row, option_count: Number(row.option_count) } : undefined;
}

export interface Pick {
  teamId: string;
  roundId: number;
  memberId: number;
  index: number;
  body: string;
  responseMs: number;
  now: Date;
}

/**
 * Records a member's pick on a choice round: a new answer, or the existing one changed to this pick
 * (active again); `first` when it is the member's first answer, else `previous` is the pick before.
 */
export async function recordPick(handle: Handle, p: Pick): Promise<{ first: boolean; previous: number | null }> {
  const db = executor(handle);
  // `before` reads the statement's snapshot (the row as it was); the upsert takes the row's lock itself.
  const result = await sql<{ previous: number | null; first: boolean }>`
    with before as (select choice_index from answer where round_id = ${p.roundId} and member_id = ${p.memberId}),
    upsert as (
      insert into answer as a (team_id, round_id, member_id, body, choice_index, response_ms, status, late, review_status, answered_at, updated_at)
      values (${p.teamId}, ${p.roundId}, ${p.memberId}, ${p.body}, ${p.index}, ${p.responseMs}, 'active', false, 'none', ${p.now}, ${p.now})
      on conflict (round_id, member_id) do update set
        choice_index = excluded.choice_index, response_ms = excluded.response_ms, body = excluded.body, status = 'active', updated_at = excluded.updated_at
      returning 1)
    select (select choice_index from before) as previous, not exists (select 1 from before) as first from upsert`.execute(db);
  const row = result.rows[0]!;
  return { first: row.first, previous: row.previous };
}
