// A team's questions of the day by channel and date: streaks (boards, stats, the recap) list the team's
// question-of-the-day channels by skipping through it, one probe a channel, and read each channel's
// newest days from it, so their cost follows the team's channels and never its history or its other
// channels. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index round_qotd_team on round (team_id, channel_id, local_date) where kind = 'qotd'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists round_qotd_team`.execute(db);
}
