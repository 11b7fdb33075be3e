// The platform roles a member was last seen with (20261130T190000Z) are read only by work that runs
// outside their events, straight from the database; no cached row needs them. So a change of them alone
// does not move the team's tenancy_version, which would empty every instance's cached rows of the whole
// team once for each member whose roles are first stored. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger member_tenancy_version on member`.execute(db);
  await sql`create trigger member_tenancy_version after update on member for each row
    when ((to_jsonb(old) - 'platform_role_ids') is distinct from (to_jsonb(new) - 'platform_role_ids'))
    execute function team_tenancy_bump()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger member_tenancy_version on member`.execute(db);
  await sql`create trigger member_tenancy_version after update on member for each row when (old is distinct from new) execute function team_tenancy_bump()`.execute(db);
}
