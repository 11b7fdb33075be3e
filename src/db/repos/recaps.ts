/** The weekly recap's reads and its claim (one per team and week, whichever instance gets there first). */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

// The local wall time of `now` in the team's zone, and the Monday 00:00 (local) of its week.
const localNow = (now: Date) => sql`(${now}::timestamptz at time zone t.timezone)`;
const weekStartLocal = (now: Date) => sql`date_trunc('week', ${localNow(now)})`;

/**
 * Teams with a scheduled channel whose week ended less than a day ago (local time) and whose recap of
 * that week was not claimed yet: the team, its zone and the ended week's Monday (YYYY-MM-DD).
 */
export async function dueRecaps(handle: Handle, now: Date): Promise<{ team_id: string; timezone: string; week_start: string }[]> {
  const db = executor(handle);
  const r = await sql<{ team_id: string; timezone: string; week_start: string }>`
    select t.id as team_id, t.timezone, ((${weekStartLocal(now)}) - interval '7 days')::date::text as week_start
    from team t
    where exists (select 1 from schedule s where s.team_id = t.id and s.enabled)
      and ${localNow(now)} < ${weekStartLocal(now)} + interval '1 day'
      and not exists (select 1 from weekly_recap w where w.team_id = t.id and w.week_start = ((${weekStartLocal(now)}) - interval '7 days')::date)
    order by t.id limit 20`.execute(db);
  return r.rows;
}

/**
 * When the next recap falls due: a team's pending one now, or the next local Monday 00:00 of any team with
 * a scheduled channel.
 */
export async function nextRecapAt(handle: Handle, now: Date): Promise<Date | undefined> {
  const db = executor(handle);
  const r = await sql<{ at: Date | null }>`
    select min(case
      when ${localNow(now)} < ${weekStartLocal(now)} + interval '1 day'
        and not exists (select 1 from weekly_recap w where w.team_id = t.id and w.week_start = ((${weekStartLocal(now)}) - interval '7 days')::date)
      then timezone(t.timezone, ${weekStartLocal(now)})
      else timezone(t.timezone, ${weekStartLocal(now)} + interval '7 days') end) as at
    from team t where exists (select 1 from schedule s where s.team_id = t.id and s.enabled)`.execute(db);
  const at = r.rows[0]?.at;
  return at ? new Date(at) : undefined;
}

/** Claims a team's recap of a week; false when it was claimed before (by this instance or another). */
export async function claimRecap(handle: Handle, teamId: string, weekStart: string, now: Date): Promise<boolean> {
  const db = executor(handle);
  const row = await db.insertInto('weekly_recap').values({ team_id: teamId, week_start: weekStart, posted_at: now }).onConflict((oc) => oc.doNothing()).returning('team_id').executeTakeFirst();
  return row !== undefined;
}

/** The channels with a running question-of-the-day schedule. */
export async function scheduledChannels(handle: Handle, teamId: string): Promise<{ id: number; platform_channel_id: string }[]> {
  const db = executor(handle);
  return db
    .selectFrom('schedule')
    .innerJoin('channel', 'channel.id', 'schedule.channel_id')
    .select(['channel.id', 'channel.platform_channel_id'])
    .where('schedule.team_id', '=', teamId)
    .where('schedule.enabled', '=', true)
    .orderBy('channel.id')
    .execute();
}

export interface BestPick { member_id: number; display_name: string; prompt: string; total: number }

/** Best answers that mentors picked in [from, to) and that still stand, highest review first. */
export async function bestPicks(handle: Handle, teamId: string, from: Date, to: Date, limit: number): Promise<BestPick[]> {
  const db = executor(handle);
  const r = await sql<BestPick>`
    select a.member_id, m.display_name, q.prompt, r.total
    from point_event p join answer a on a.id = p.answer_id join review r on r.answer_id = a.id and r.best_answer
      join member m on m.id = a.member_id and m.forgotten_at is null
      join round ro on ro.id = a.round_id join question q on q.id = ro.question_id
    where p.team_id = ${teamId} and p.kind = 'best_answer' and p.created_at >= ${from} and p.created_at < ${to}
    order by r.total desc, p.created_at, a.id limit ${limit}`.execute(db);
  return r.rows;
}

export interface Hardest { question_id: number; prompt: string; answers: number; correct: number }

/**
 * The choice question with the lowest share of correct on-time answers among rounds closed in [from, to),
 * counting only questions with at least `minAnswers` answers; ties go to the one with more answers.
 */
export async function hardestQuestion(handle: Handle, teamId: string, from: Date, to: Date, minAnswers: number): Promise<Hardest | undefined> {
  const db = executor(handle);
  const r = await sql<Hardest>`
    select q.id as question_id, q.prompt, count(*)::int as answers,
      count(*) filter (where coalesce((q.options -> a.choice_index ->> 'correct')::boolean, false))::int as correct
    from answer a join round ro on ro.id = a.round_id join question q on q.id = ro.question_id
    where a.team_id = ${teamId} and ro.status = 'closed' and ro.closed_at >= ${from} and ro.closed_at < ${to}
      and q.kind = 'choice' and a.status = 'active' and not a.late and a.choice_index is not null
    group by q.id, q.prompt having count(*) >= ${minAnswers}
    order by count(*) filter (where coalesce((q.options -> a.choice_index ->> 'correct')::boolean, false))::float / count(*), count(*) desc, q.id
    limit 1`.execute(db);
  return r.rows[0];
}

/** Members (not forgotten) who answered in [from, to): on-time answers scored at a round's close. */
export async function answerersIn(handle: Handle, teamId: string, from: Date, to: Date): Promise<{ member_id: number; display_name: string }[]> {
  const db = executor(handle);
  const r = await sql<{ member_id: number; display_name: string }>`
    select distinct p.member_id, m.display_name from point_event p join member m on m.id = p.member_id and m.forgotten_at is null
    where p.team_id = ${teamId} and p.kind = 'participation' and p.answer_id is not null and p.created_at >= ${from} and p.created_at < ${to}
    order by m.display_name, p.member_id`.execute(db);
  return r.rows;
}
