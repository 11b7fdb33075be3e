// Slack installations from the OAuth flow (@slack/oauth), one row a workspace (or an Enterprise Grid org
// for an org-wide install), so one deployment serves many workspaces. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table slack_installation (
      id text primary key,                      -- 'T123' for a workspace, 'E123' for an org-wide install
      team_id text,
      enterprise_id text,
      is_enterprise_install boolean not null default false,
      app_id text,
      bot_user_id text,
      bot_id text,
      installer_user_id text,
      installation jsonb not null,              -- the whole @slack/oauth Installation, tokens included
      installed_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (team_id is not null or enterprise_id is not null)
    )`.execute(db);
  await sql`create index slack_installation_enterprise on slack_installation (enterprise_id) where enterprise_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists slack_installation`.execute(db);
}
