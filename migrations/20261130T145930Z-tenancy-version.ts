// The hot path keeps team, member and channel rows in a per-process cache (issue 13). A cached row is
// used only when the team's tenancy_version, read in the same statement that records the delivery, is
// the one the cache saw: triggers bump it in the writer's own transaction on any change to the team,
// to one of its members or channels (roles, settings, group mappings, names, forget-me), so a change
// made by this instance, another one or by hand is seen at the very next event. New rows do not bump it
// (no cache holds them yet). Also the (team_id, opened_at) index the question of the day's recent
// rounds of a team read.
// Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table team add column tenancy_version bigint not null default 0`.execute(db);
  // Any change to the team row itself moves its version (unless the change is the bump).
  await sql`create function team_tenancy_bump_self() returns trigger language plpgsql as $$
    begin
      if new.tenancy_version = old.tenancy_version then new.tenancy_version := old.tenancy_version + 1; end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger team_tenancy_version before update on team for each row when (old is distinct from new) execute function team_tenancy_bump_self()`.execute(db);
  await sql`create function team_tenancy_bump() returns trigger language plpgsql set search_path from current as $$
    begin
      update team set tenancy_version = tenancy_version + 1 where id = old.team_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger member_tenancy_version after update on member for each row when (old is distinct from new) execute function team_tenancy_bump()`.execute(db);
  await sql`create trigger member_tenancy_gone after delete on member for each row execute function team_tenancy_bump()`.execute(db);
  await sql`create trigger channel_tenancy_version after update on channel for each row when (old is distinct from new) execute function team_tenancy_bump()`.execute(db);
  await sql`create trigger channel_tenancy_gone after delete on channel for each row execute function team_tenancy_bump()`.execute(db);
  await sql`create index round_team_opened on round (team_id, opened_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index round_team_opened`.execute(db);
  for (const t of ['member_tenancy_version on member', 'member_tenancy_gone on member', 'channel_tenancy_version on channel', 'channel_tenancy_gone on channel', 'team_tenancy_version on team']) {
    await sql.raw(`drop trigger ${t}`).execute(db);
  }
  await sql`drop function team_tenancy_bump()`.execute(db);
  await sql`drop function team_tenancy_bump_self()`.execute(db);
  await sql`alter table team drop column tenancy_version`.execute(db);
}
