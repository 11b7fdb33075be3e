// The outbox gets an owner: a claim writes a fresh token, and only the holder of the current token may
// save a delivery's result (a stale owner whose lease ran out changes nothing). `claims` counts how often
// a row was taken, so a sender knows the platform may already have the message from an earlier try.
// posted_thread remembers every thread a round's (or a quiz's) card was posted under: on a platform
// without idempotent sends a re-post can leave two, and an answer in either one must count.
// Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column owner text, add column claims integer not null default 0`.execute(db);
  await sql`
    create table posted_thread (
      id serial primary key,
      team_id text not null,
      round_id integer references round (id) on delete cascade,
      quiz_id integer references quiz (id) on delete cascade,
      thread_ref text not null,
      message_ref text not null,
      posted_at timestamptz not null default now(),
      check ((round_id is null) <> (quiz_id is null))
    )`.execute(db);
  await sql`create unique index posted_thread_once on posted_thread (team_id, thread_ref, coalesce(round_id, 0), coalesce(quiz_id, 0))`.execute(db);
  await sql`create index posted_thread_ref on posted_thread (team_id, thread_ref)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists posted_thread`.execute(db);
  await sql`alter table outbox drop column if exists owner, drop column if exists claims`.execute(db);
}
