// One best answer per round: a later pick reverses the earlier one with an event of its own (the ledger
// stays append-only). Platform roles (Discord roles, Slack user groups) can make their holders mentors,
// as admin_role_ids already makes them admins. Reviewers' Approve/Reject cards are kept so they can show
// the decision. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table point_event drop constraint if exists point_event_kind_check`.execute(db);
  await sql`alter table point_event add constraint point_event_kind_check
    check (kind in ('participation', 'correct', 'speed', 'streak', 'review', 'best_answer', 'best_answer_reversed'))`.execute(db);
  await sql`alter table team add column mentor_role_ids text[] not null default '{}'`.execute(db);
  // The Approve/Reject cards sent to reviewers, so every one of them shows the decision once made.
  await sql`create table question_card (
    team_id text not null references team (id) on delete cascade,
    question_id integer not null references question (id) on delete cascade,
    message_ref text not null,
    primary key (question_id, message_ref)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists question_card`.execute(db);
  await sql`alter table team drop column if exists mentor_role_ids`.execute(db);
  await sql`delete from point_event where kind = 'best_answer_reversed'`.execute(db);
  await sql`alter table point_event drop constraint if exists point_event_kind_check`.execute(db);
  await sql`alter table point_event add constraint point_event_kind_check
    check (kind in ('participation', 'correct', 'speed', 'streak', 'review', 'best_answer'))`.execute(db);
}
