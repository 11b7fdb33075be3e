// Personal practice with FSRS spaced repetition (issue 15): one card per member and question holding the
// scheduler's state (ts-fsrs's Card), the card before its last review and where that review came from (so
// a second rating from the same source, such as a changed self-check, replaces the first instead of counting
// twice), and each member's opt-in daily practice DM. The fixed-interval practice_state rows become review
// cards: the old interval is the stability (the days until recall falls to 90%), the old rating sets the
// difficulty, "didn't know" counts as a lapse, and the due date stays. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table practice_card (
    member_id integer not null references member (id) on delete cascade,
    question_id integer not null references question (id) on delete cascade,
    team_id text not null references team (id) on delete cascade,
    due timestamptz not null,
    stability double precision not null default 0,
    difficulty double precision not null default 0,
    elapsed_days integer not null default 0,
    scheduled_days integer not null default 0,
    learning_steps integer not null default 0,
    reps integer not null default 0,
    lapses integer not null default 0,
    state smallint not null default 0 check (state between 0 and 3),
    last_review timestamptz,
    last_rating smallint check (last_rating between 1 and 4),
    last_source text,
    previous jsonb,
    updated_at timestamptz not null default now(),
    primary key (member_id, question_id)
  )`.execute(db);
  await sql`create index practice_card_due on practice_card (member_id, due)`.execute(db);
  await sql`insert into practice_card (member_id, question_id, team_id, due, stability, difficulty, scheduled_days, reps, lapses, state, last_review, last_rating, last_source, updated_at)
    select member_id, question_id, team_id, due_at, greatest(interval_days, 1),
      case last_rating when 'knew' then 4 when 'unsure' then 6 else 8 end,
      interval_days, seen_count, case when last_rating = 'didnt' then 1 else 0 end, 2, updated_at,
      case last_rating when 'knew' then 3 when 'unsure' then 2 else 1 end, 'migrated', updated_at
    from practice_state`.execute(db);
  await sql`drop table practice_state`.execute(db);
  await sql`create table practice_reminder (
    member_id integer primary key references member (id) on delete cascade,
    team_id text not null references team (id) on delete cascade,
    local_time text not null check (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    timezone text not null,
    next_at timestamptz not null,
    last_sent_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index practice_reminder_due on practice_reminder (next_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create table practice_state (
    member_id integer not null references member (id) on delete cascade,
    question_id integer not null references question (id) on delete cascade,
    team_id text not null references team (id) on delete cascade,
    last_rating text not null check (last_rating in ('knew', 'unsure', 'didnt')),
    interval_days integer not null default 1,
    seen_count integer not null default 1,
    due_at timestamptz not null,
    updated_at timestamptz not null default now(),
    primary key (member_id, question_id)
  )`.execute(db);
  await sql`create index practice_due on practice_state (member_id, due_at)`.execute(db);
  await sql`insert into practice_state (member_id, question_id, team_id, last_rating, interval_days, seen_count, due_at, updated_at)
    select member_id, question_id, team_id,
      case when last_rating >= 3 then 'knew' when last_rating = 2 then 'unsure' else 'didnt' end,
      greatest(scheduled_days, 1), greatest(reps, 1), due, updated_at
    from practice_card`.execute(db);
  await sql`drop table if exists practice_reminder`.execute(db);
  await sql`drop table if exists practice_card`.execute(db);
}
