/** The fingerprint of the bank files last synced into the database (not team data: the bank is shared). */
import type { Executor } from '../index.js';

export async function lastBankSync(db: Executor): Promise<{ fingerprint: string; questions: number } | undefined> {
  return db.selectFrom('bank_sync').select(['fingerprint', 'questions']).where('source', '=', 'builtin').executeTakeFirst();
}

export async function recordBankSync(db: Executor, fingerprint: string, questions: number, now: Date): Promise<void> {
  await db
    .insertInto('bank_sync')
    .values({ source: 'builtin', fingerprint, questions, synced_at: now })
    .onConflict((oc) => oc.column('source').doUpdateSet({ fingerprint, questions, synced_at: now }))
    .execute();
}
