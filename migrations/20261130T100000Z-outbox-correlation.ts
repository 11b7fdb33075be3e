// Frozen: imports nothing of the app.
import type { Kysely } from 'kysely';

// Which inbound delivery (or tick) wrote an outbox row, to follow a message from the request that
// decided it to the chat call that sent it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('correlation_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('correlation_id').execute();
}
