// The platform roles (Discord roles, Slack user groups) a member was last seen holding, so work that
// runs outside their events (the mentors' review reminders, a round's closing note to mentors) finds
// mentors and admins by a mapped role too, not only those appointed by name. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table member add column platform_role_ids text[] not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table member drop column if exists platform_role_ids`.execute(db);
}
