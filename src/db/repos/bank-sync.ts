/** The fingerprint of the bank files last synced into the database (not team data: the bank is shared). */
import { executor, type Handle } from '../handle.js';

export async function lastBankSync(handle: Handle): Promise<{ fingerprint: string; questions: number } | undefined> {
  const db = executor(handle);
  return db.selectFrom('bank_sync').select(['fingerprint', 'questions']).where('source', '=', 'builtin').executeTakeFirst();
}

export async function recordBankSync(handle: Handle, fingerprint: string, questions: number, now: Date): Promise<void> {
  const db = executor(handle);
  await db
    .insertInto('bank_sync')
    .values({ source: 'builtin', fingerprint, questions, synced_at: now })
    .onConflict((oc) => oc.column('source').doUpdateSet({ fingerprint, questions, synced_at: now }))
    .execute();
}
