// Current question-of-the-day streaks kept beside the rounds and answers (issue 13): a member's run in a
// channel, one row a member and channel while it is above 0, so a board reads each top member's streak
// with one index probe instead of walking every question-of-the-day channel's newest questions (5.5-5.9
// ms of a board statement with 20 channels and runs of up to 30 days; 1.1-1.2 ms with the table). Triggers on round and
// answer set the runs afresh in the same transaction as any write that can change one (a question
// closed, opened or moved, an answer to a closed one added, withdrawn, made late or removed), bulk ones
// too, so rounds and answers stay the source of truth. The run follows the definition in
// src/core/streaks.ts: among a channel's 400 newest questions of the day (open ones included), the closed
// ones newer than the newest closed one the member did not answer on time (active, not late).
// Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

/**
 * The answer's round when it is a question of the day, looked up by its key for each answer: a lateral
 * subquery with a limit, which the planner keeps as one probe an answer (as a join, with a fresh table's
 * missing statistics it scanned every answer of a bulk insert once a round).
 */
const qotdRound = (roundId: string) => `(select r.team_id, r.channel_id from round r where r.id = ${roundId} and r.kind = 'qotd' limit 1)`;

/** The transaction lock on a channel's runs: exclusive to change its questions, shared to change answers to them. */
const channelLock = (fn: 'pg_advisory_xact_lock' | 'pg_advisory_xact_lock_shared', channel: string) => `${fn}(hashtext('qotd_streak'), ${channel})`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table qotd_streak (
    team_id text not null references team (id) on delete cascade,
    member_id integer not null references member (id) on delete cascade,
    channel_id integer not null references channel (id) on delete cascade,
    run integer not null check (run > 0),
    primary key (team_id, member_id, channel_id)
  )`.execute(db);
  await sql`create index qotd_streak_channel on qotd_streak (channel_id)`.execute(db);

  // The channel's newest closed question of the day inside its window (null when none).
  await sql`create function qotd_streak_head(team_ text, channel_ integer) returns integer
    language sql stable set search_path from current as $$
      select w.id from (select r.id, r.status, r.local_date from round r
          where r.team_id = team_ and r.channel_id = channel_ and r.kind = 'qotd' order by r.local_date desc limit 400) w
        where w.status = 'closed' order by w.local_date desc limit 1
    $$`.execute(db);
  // A member's run in a channel, by the definition above: it reads only as far back as the run is long.
  // (An answer is unique by round and member, so the scalar subquery has one row at most.)
  await sql`create function qotd_streak_run(team_ text, channel_ integer, member_ integer) returns integer
    language sql stable set search_path from current as $$
      select count(*)::int from (select r.status from round r
          where r.team_id = team_ and r.channel_id = channel_ and r.kind = 'qotd'
            and r.local_date > coalesce((select w.local_date from (select r2.id, r2.status, r2.local_date from round r2
                where r2.team_id = team_ and r2.channel_id = channel_ and r2.kind = 'qotd' order by r2.local_date desc limit 400) w
              -- A probe a question (the round and member's unique index), newest first until the miss: written
              -- as a scalar subquery, not "not exists", which the planner turns into a scan of all the member's answers.
              where w.status = 'closed' and (select a.id from answer a
                where a.round_id = w.id and a.member_id = member_ and a.status = 'active' and a.late = false) is null
              order by w.local_date desc limit 1), '-infinity'::date)
          order by r.local_date desc limit 400) x
        where x.status = 'closed'
    $$`.execute(db);
  // Locking. Reading the rounds and answers and writing the runs must not interleave with another
  // transaction's change to them, which would be counted without (READ COMMITTED: each statement of these
  // functions reads what was committed when it started, so what is read after a lock is granted is final).
  // A change to a channel's questions takes the channel's lock exclusively, and a change to answers to
  // them takes it shared, with each touched member's own lock: answers to different members go on side by
  // side, and a close waits for them (and they for it). Within a statement, channels and members are locked
  // in ascending order; two transactions that lock several channels over several statements in opposite
  // orders can deadlock, and Postgres ends one of them (the bot's unit of work runs it again; the tick
  // closes a batch's questions in channel order). This needs READ COMMITTED, Postgres' default and the
  // bot's: at REPEATABLE READ a refresh that waited would fail with a serialization error and be retried.

  // Sets these members' runs in the channel afresh (callers hold the locks).
  await sql`create function qotd_streak_refresh(team_ text, channel_ integer, members_ integer[]) returns void
    language plpgsql set search_path from current as $$
      begin
        delete from qotd_streak where channel_id = channel_ and member_id = any(members_);
        insert into qotd_streak (team_id, member_id, channel_id, run)
          select team_, m.id, channel_, n.run from (select distinct unnest(members_) as id) m
            cross join lateral (select qotd_streak_run(team_, channel_, m.id) as run offset 0) n
          -- Not for a member, channel or team being deleted in this statement (their rows go with them).
          where n.run > 0 and exists (select 1 from member where member.id = m.id)
            and exists (select 1 from channel where channel.id = channel_) and exists (select 1 from team where team.id = team_)
          order by m.id;
      end $$`.execute(db);
  // Every run the channel's questions can change: the members with one now, and those who answered its
  // newest closed question (nobody else can have one).
  await sql`create function qotd_streak_refresh_channel(team_ text, channel_ integer) returns void
    language plpgsql set search_path from current as $$
      begin
        perform ${sql.raw(channelLock('pg_advisory_xact_lock', 'channel_'))};
        perform qotd_streak_refresh(team_, channel_, array(
          select s.member_id from qotd_streak s where s.channel_id = channel_
          union
          select a.member_id from answer a where a.round_id = qotd_streak_head(team_, channel_) and a.status = 'active' and a.late = false));
      end $$`.execute(db);
  // A new open question in a full window pushes the oldest out: only a run that counted every closed
  // question of the window can have counted it (a run that stops at a miss inside the window cannot).
  await sql`create function qotd_streak_refresh_window(team_ text, channel_ integer) returns void
    language plpgsql set search_path from current as $$
      declare closed_ integer;
      begin
        perform ${sql.raw(channelLock('pg_advisory_xact_lock', 'channel_'))};
        select count(*) into closed_ from (select r.status from round r
          where r.team_id = team_ and r.channel_id = channel_ and r.kind = 'qotd' order by r.local_date desc limit 400) w where w.status = 'closed';
        perform qotd_streak_refresh(team_, channel_, array(select s.member_id from qotd_streak s where s.channel_id = channel_ and s.run >= closed_));
      end $$`.execute(db);

  // Rounds: a question of the day added, removed, closed or reopened, moved to another date or channel.
  // A new open one changes a run only by pushing the oldest question out of a full window (more than 400
  // in the channel): the day's new questions of a fan-out cost a count, not a refresh.
  await sql`create function qotd_streak_rounds() returns trigger
    language plpgsql set search_path from current as $$
      declare c record;
      begin
        if tg_op = 'INSERT' then
          for c in select n.team_id, n.channel_id, bool_or(n.status = 'closed') as closed from new_rows n where n.kind = 'qotd'
              group by n.team_id, n.channel_id
              having bool_or(n.status = 'closed')
                or (select count(*) from (select 1 from round r where r.channel_id = n.channel_id and r.kind = 'qotd' limit 401) w) > 400
              order by n.channel_id loop
            if c.closed then perform qotd_streak_refresh_channel(c.team_id, c.channel_id);
            else perform qotd_streak_refresh_window(c.team_id, c.channel_id);
            end if;
          end loop;
        elsif tg_op = 'DELETE' then
          for c in select distinct o.team_id, o.channel_id from old_rows o where o.kind = 'qotd' order by o.channel_id loop
            perform qotd_streak_refresh_channel(c.team_id, c.channel_id);
          end loop;
        else
          for c in select distinct k.team_id, k.channel_id from (
              select o.team_id, o.channel_id, o.kind from old_rows o join new_rows n on n.id = o.id
                where (o.team_id, o.channel_id, o.kind, o.status, o.local_date) is distinct from (n.team_id, n.channel_id, n.kind, n.status, n.local_date)
              union all
              select n.team_id, n.channel_id, n.kind from old_rows o join new_rows n on n.id = o.id
                where (o.team_id, o.channel_id, o.kind, o.status, o.local_date) is distinct from (n.team_id, n.channel_id, n.kind, n.status, n.local_date)) k
            where k.kind = 'qotd' order by k.channel_id loop
            perform qotd_streak_refresh_channel(c.team_id, c.channel_id);
          end loop;
        end if;
        return null;
      end $$`.execute(db);
  // Answers to questions of the day: one that counts added or removed, or changed in what counts
  // (withdrawn or active again, late, moved). Answers to open questions count for nothing yet, but their
  // writer holds the channel's lock shared until it commits, so a close never counts without them.
  const touched = (pairs: string) =>
    sql.raw(`for c in select r.team_id, r.channel_id, array_agg(distinct k.member_id order by k.member_id) as members, array_agg(distinct k.round_id) as rounds
          from (${pairs}) k cross join lateral ${qotdRound('k.round_id')} r
          group by r.team_id, r.channel_id order by r.channel_id loop
        perform ${channelLock('pg_advisory_xact_lock_shared', 'c.channel_id')};
        -- Read after the lock: a close in progress has committed, and a later one waits for this transaction.
        if exists (select 1 from round r where r.id = any(c.rounds) and r.status = 'closed') then
          perform pg_advisory_xact_lock(hashtextextended('qotd_streak:' || c.channel_id || ':' || m, 0)) from unnest(c.members) m;
          perform qotd_streak_refresh(c.team_id, c.channel_id, c.members);
        end if;
      end loop;`);
  await sql`create function qotd_streak_answers() returns trigger
    language plpgsql set search_path from current as $$
      declare c record;
      begin
        if tg_op = 'INSERT' then
          ${touched(`select n.round_id, n.member_id from new_rows n where n.status = 'active' and n.late = false`)}
        else
          ${touched(`select o.round_id, o.member_id from old_rows o where o.status = 'active' and o.late = false`)}
        end if;
        return null;
      end $$`.execute(db);
  // An update, one row at a time and only when what counts changed (its trigger's condition): the app
  // changes answers one at a time, and a choice changed on a pick (an upsert) then costs nothing here.
  await sql`create function qotd_streak_answer_changed() returns trigger
    language plpgsql set search_path from current as $$
      declare c record;
      begin
        ${touched(`select x.round_id, x.member_id from (values (old.round_id, old.member_id), (new.round_id, new.member_id)) x (round_id, member_id)`)}
        return null;
      end $$`.execute(db);

  // Lock out writers while the backfill reads, so nothing lands between the backfill and the triggers.
  await sql`lock table round, answer in share row exclusive mode`.execute(db);
  for (const [table, fn] of [['round', 'qotd_streak_rounds'], ['answer', 'qotd_streak_answers']] as const) {
    await sql`create trigger ${sql.raw(`${table}_qotd_streak_insert`)} after insert on ${sql.table(table)} referencing new table as new_rows
      for each statement execute function ${sql.raw(fn)}()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_qotd_streak_delete`)} after delete on ${sql.table(table)} referencing old table as old_rows
      for each statement execute function ${sql.raw(fn)}()`.execute(db);
  }
  await sql`create trigger round_qotd_streak_update after update on round referencing old table as old_rows new table as new_rows
    for each statement execute function qotd_streak_rounds()`.execute(db);
  await sql`create trigger answer_qotd_streak_update after update of round_id, member_id, status, late on answer for each row
    when ((old.round_id, old.member_id, old.status, old.late) is distinct from (new.round_id, new.member_id, new.status, new.late))
    execute function qotd_streak_answer_changed()`.execute(db);
  // The backfill: only those who answered a channel's newest closed question have a run there.
  await sql`insert into qotd_streak (team_id, member_id, channel_id, run)
    select c.team_id, a.member_id, c.channel_id, qotd_streak_run(c.team_id, c.channel_id, a.member_id)
    from (select distinct r.team_id, r.channel_id from round r where r.kind = 'qotd') c
    join answer a on a.round_id = qotd_streak_head(c.team_id, c.channel_id) and a.status = 'active' and a.late = false`.execute(db);
  await sql`analyze qotd_streak`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['round', 'answer']) {
    for (const op of ['insert', 'delete', 'update']) await sql`drop trigger if exists ${sql.raw(`${table}_qotd_streak_${op}`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists qotd_streak_answer_changed()`.execute(db);
  await sql`drop function if exists qotd_streak_answers()`.execute(db);
  await sql`drop function if exists qotd_streak_rounds()`.execute(db);
  await sql`drop function if exists qotd_streak_refresh_window(text, integer)`.execute(db);
  await sql`drop function if exists qotd_streak_refresh_channel(text, integer)`.execute(db);
  await sql`drop function if exists qotd_streak_refresh(text, integer, integer[])`.execute(db);
  await sql`drop function if exists qotd_streak_run(text, integer, integer)`.execute(db);
  await sql`drop function if exists qotd_streak_head(text, integer)`.execute(db);
  await sql`drop table if exists qotd_streak`.execute(db);
}
