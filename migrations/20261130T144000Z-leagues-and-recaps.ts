// Fair competition (issue 15): each season's league placements (a member's tier, and at the season's end
// their rank in the league and the tier they earned for the next one), and the weekly recap's claim (one
// row per team and week, inserted in the transaction that queues the recap, so two instances never both
// post it). Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table league_placement (
    season_id integer not null references season (id) on delete cascade,
    member_id integer not null references member (id) on delete cascade,
    team_id text not null references team (id) on delete cascade,
    tier smallint not null check (tier >= 0),
    final_rank integer,
    final_points integer,
    next_tier smallint check (next_tier >= 0),
    primary key (season_id, member_id)
  )`.execute(db);
  await sql`create index league_placement_tier on league_placement (season_id, tier)`.execute(db);
  await sql`create index league_placement_member on league_placement (member_id)`.execute(db);
  await sql`create table weekly_recap (
    team_id text not null references team (id) on delete cascade,
    week_start date not null,
    posted_at timestamptz not null,
    primary key (team_id, week_start)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists weekly_recap`.execute(db);
  await sql`drop table if exists league_placement`.execute(db);
}
