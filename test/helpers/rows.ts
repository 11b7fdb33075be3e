/** Rows the database tests need and no flow makes for them. */
import type { Executor } from '../../src/db/index.js';

/** A built-in open question (no team), for rounds a test inserts itself; its id. */
export async function insertQuestion(db: Executor, externalId: string): Promise<number> {
  const row = await db
    .insertInto('question')
    .values({ team_id: null, external_id: externalId, pack: 'databases', kind: 'open', category: 'technical', difficulty: 'beginner', topics: ['databases'], prompt: 'What is an index?', key_points: '[]', reference_answer: 'A sorted structure.', star_guide: null, options: null, explanation: null, status: 'active', source: 'builtin', content_hash: externalId, created_by: null, decided_by: null, retired_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
