// No JIT compiling for the bot's own role in its own database. The bot runs only short statements; a
// board's plan estimate can pass jit_above_cost (a team answering every day in many question channels),
// and compiling then costs more than the statement (26 ms of JIT for 29 ms of work, in review). Direct
// connections already start with jit=off (src/db/postgres.ts); this reaches the connections a pooler
// opens, which take no startup options. A role may set its own defaults; where even that is refused, the
// migration goes on without it. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`do $$ begin
      execute format('alter role %I in database %I set jit = off', current_user, current_database());
    exception when others then null;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`do $$ begin
      execute format('alter role %I in database %I reset jit', current_user, current_database());
    exception when others then null;
    end $$`.execute(db);
}
