// What the built-in bank was last synced from (issue 13): a fingerprint of its files, so a start with an
// unchanged bank skips reading and parsing it and comparing hundreds of rows. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table bank_sync (
    source text primary key check (source = 'builtin'),
    fingerprint text not null,
    questions integer not null,
    synced_at timestamptz not null
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table bank_sync`.execute(db);
}
