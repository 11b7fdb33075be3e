// Leaderboards read per-member sums kept beside the ledger (issue 13): points, answered rounds and event
// counts per member and UTC day, UTC month and all time. Triggers on point_event keep them in the same
// transaction as every insert or delete (bulk ones too), so the ledger stays the only writer and the
// source of truth; a board sums whole buckets and reads the partial days at its edges from the ledger.
// UTC buckets never depend on a team's time zone, so changing the zone needs no rebuild.
// Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table ledger_rollup (
    team_id text not null references team (id) on delete cascade,
    member_id integer not null references member (id) on delete cascade,
    grain text not null check (grain in ('day', 'month', 'all')),
    bucket date not null,
    points bigint not null,
    answers integer not null,
    events integer not null,
    primary key (team_id, grain, bucket, member_id)
  )`.execute(db);
  await sql`create index ledger_rollup_top on ledger_rollup (team_id, grain, bucket, points desc, answers desc) include (member_id, events)`.execute(db);
  // The buckets of one event: its UTC day, its UTC month and all time. "answers" counts participation
  // events of an answer, which exist at most once per answer (the unique index point_event_once_per_answer),
  // so it equals the boards' count of distinct answers.
  await sql`create function ledger_rollup_buckets(at_ timestamptz) returns table (grain text, bucket date)
    language sql immutable as $$
      values ('day', (at_ at time zone 'UTC')::date),
        ('month', date_trunc('month', at_ at time zone 'UTC')::date),
        ('all', date '1970-01-01')
    $$`.execute(db);
  // Rows are upserted in key order so two transactions scoring the same members cannot deadlock. The
  // function keeps the search_path of its schema, so a writer with another search_path still finds the rollup.
  await sql`create function ledger_rollup_apply() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op <> 'DELETE' then
        insert into ledger_rollup as r (team_id, member_id, grain, bucket, points, answers, events)
          select n.team_id, n.member_id, g.grain, g.bucket, sum(n.points),
            count(*) filter (where n.kind = 'participation' and n.answer_id is not null), count(*)
          from new_rows n cross join lateral ledger_rollup_buckets(n.created_at) g
          group by 1, 2, 3, 4 order by 1, 3, 4, 2
        on conflict (team_id, grain, bucket, member_id) do update
          set points = r.points + excluded.points, answers = r.answers + excluded.answers, events = r.events + excluded.events;
      end if;
      if tg_op <> 'INSERT' then
        update ledger_rollup r
          set points = r.points - d.points, answers = r.answers - d.answers, events = r.events - d.events
          from (select o.team_id, o.member_id, g.grain, g.bucket, sum(o.points) points,
                  count(*) filter (where o.kind = 'participation' and o.answer_id is not null) answers, count(*) events
                from old_rows o cross join lateral ledger_rollup_buckets(o.created_at) g
                group by 1, 2, 3, 4 order by 1, 3, 4, 2) d
          where r.team_id = d.team_id and r.grain = d.grain and r.bucket = d.bucket and r.member_id = d.member_id;
        delete from ledger_rollup r
          using (select distinct o.team_id, o.member_id, g.grain, g.bucket
                 from old_rows o cross join lateral ledger_rollup_buckets(o.created_at) g) k
          where r.team_id = k.team_id and r.grain = k.grain and r.bucket = k.bucket and r.member_id = k.member_id and r.events <= 0;
      end if;
      return null;
    end $$`.execute(db);
  // Lock out writers while the backfill reads, so no event lands between the backfill and the triggers.
  await sql`lock table point_event in share row exclusive mode`.execute(db);
  await sql`create trigger ledger_rollup_insert after insert on point_event referencing new table as new_rows
    for each statement execute function ledger_rollup_apply()`.execute(db);
  await sql`create trigger ledger_rollup_delete after delete on point_event referencing old table as old_rows
    for each statement execute function ledger_rollup_apply()`.execute(db);
  await sql`create trigger ledger_rollup_update after update on point_event referencing old table as old_rows new table as new_rows
    for each statement execute function ledger_rollup_apply()`.execute(db);
  // The backfill reads the whole ledger once (days), then sums days into months and months into all time
  // (1,000,000 events: about 40 s on a loaded 2-core machine, within the migrations' own timeout).
  await sql`insert into ledger_rollup (team_id, member_id, grain, bucket, points, answers, events)
    select team_id, member_id, 'day', (created_at at time zone 'UTC')::date, sum(points),
      count(*) filter (where kind = 'participation' and answer_id is not null), count(*)
    from point_event group by 1, 2, 3, 4`.execute(db);
  await sql`insert into ledger_rollup (team_id, member_id, grain, bucket, points, answers, events)
    select team_id, member_id, 'month', date_trunc('month', bucket)::date, sum(points), sum(answers), sum(events)
    from ledger_rollup where grain = 'day' group by 1, 2, 3, 4`.execute(db);
  await sql`insert into ledger_rollup (team_id, member_id, grain, bucket, points, answers, events)
    select team_id, member_id, 'all', date '1970-01-01', sum(points), sum(answers), sum(events)
    from ledger_rollup where grain = 'month' group by 1, 2, 3, 4`.execute(db);
  await sql`analyze ledger_rollup`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists ledger_rollup_insert on point_event`.execute(db);
  await sql`drop trigger if exists ledger_rollup_delete on point_event`.execute(db);
  await sql`drop trigger if exists ledger_rollup_update on point_event`.execute(db);
  await sql`drop function if exists ledger_rollup_apply()`.execute(db);
  await sql`drop function if exists ledger_rollup_buckets(timestamptz)`.execute(db);
  await sql`drop table if exists ledger_rollup`.execute(db);
}
