// Board sets (issue 13): per-member totals of one board's period (a team's week, month or season: from
// an instant, to an instant or open), built once from the rollups and kept by triggers with every ledger
// write after that, in the same transaction, so a board of 5,000 members reads 5,000 rows (or its top 10
// in index order) however many ledger rows and days its period holds. The ledger stays the source of
// truth: a set is derived from it exactly, and a board without a set reads the rollups as before.
//
// Building a set and writing the ledger exclude each other per team: every ledger write takes a shared
// advisory lock on its teams in the trigger, and a build takes it exclusively (waiting a quarter of a second at most), so
// the build's read sees every event committed before it and every later event adds itself to the set.
// Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table board_set (
    id serial primary key,
    team_id text not null references team (id) on delete cascade,
    starts_at timestamptz not null,
    ends_at timestamptz,
    built_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index board_set_period on board_set (team_id, starts_at, coalesce(ends_at, 'infinity'))`.execute(db);
  await sql`create table board_set_total (
    set_id integer not null references board_set (id) on delete cascade,
    member_id integer not null references member (id) on delete cascade,
    points bigint not null,
    answers integer not null,
    events integer not null,
    primary key (set_id, member_id)
  )`.execute(db);
  await sql`create index board_set_total_top on board_set_total (set_id, points desc, answers desc) include (member_id, events)`.execute(db);
  await sql`create function board_set_apply() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op <> 'DELETE' then
        perform pg_advisory_xact_lock_shared(hashtextextended('board_set:' || x.team_id, 0)) from (select distinct team_id from new_rows order by 1) x;
        insert into board_set_total as b (set_id, member_id, points, answers, events)
          select s.id, n.member_id, sum(n.points), count(*) filter (where n.kind = 'participation' and n.answer_id is not null), count(*)
          from new_rows n join board_set s on s.team_id = n.team_id and n.created_at >= s.starts_at and (s.ends_at is null or n.created_at < s.ends_at)
          group by 1, 2 order by 1, 2
        on conflict (set_id, member_id) do update
          set points = b.points + excluded.points, answers = b.answers + excluded.answers, events = b.events + excluded.events;
      end if;
      if tg_op <> 'INSERT' then
        perform pg_advisory_xact_lock_shared(hashtextextended('board_set:' || x.team_id, 0)) from (select distinct team_id from old_rows order by 1) x;
        update board_set_total b
          set points = b.points - d.points, answers = b.answers - d.answers, events = b.events - d.events
          from (select s.id, o.member_id, sum(o.points) points, count(*) filter (where o.kind = 'participation' and o.answer_id is not null) answers, count(*) events
                from old_rows o join board_set s on s.team_id = o.team_id and o.created_at >= s.starts_at and (s.ends_at is null or o.created_at < s.ends_at)
                group by 1, 2 order by 1, 2) d
          where b.set_id = d.id and b.member_id = d.member_id;
        delete from board_set_total b where b.events <= 0 and (b.set_id, b.member_id) in (
          select s.id, o.member_id from old_rows o join board_set s on s.team_id = o.team_id and o.created_at >= s.starts_at and (s.ends_at is null or o.created_at < s.ends_at));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger board_set_insert after insert on point_event referencing new table as new_rows
    for each statement execute function board_set_apply()`.execute(db);
  await sql`create trigger board_set_delete after delete on point_event referencing old table as old_rows
    for each statement execute function board_set_apply()`.execute(db);
  await sql`create trigger board_set_update after update on point_event referencing old table as old_rows new table as new_rows
    for each statement execute function board_set_apply()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists board_set_insert on point_event`.execute(db);
  await sql`drop trigger if exists board_set_delete on point_event`.execute(db);
  await sql`drop trigger if exists board_set_update on point_event`.execute(db);
  await sql`drop function if exists board_set_apply()`.execute(db);
  await sql`drop table if exists board_set_total`.execute(db);
  await sql`drop table if exists board_set`.execute(db);
}
