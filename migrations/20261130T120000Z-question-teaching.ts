// What a question teaches beyond its answer (issue 14): follow-up questions an interviewer would ask, a
// hint to ask for before answering, and standard documents to read next. Per-option explanations live
// in the options JSON. Frozen: imports nothing of the app.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table question
      add column follow_ups jsonb,
      add column hint text,
      add column further_reading jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table question drop column if exists follow_ups, drop column if exists hint, drop column if exists further_reading`.execute(db);
}
