/** Mentors' reviews of answers. */
import { executor, type Handle } from '../handle.js';

/** Saves a mentor's review of an answer; false when the answer was already reviewed. */
export async function saveReview(
  handle: Handle,
  teamId: string,
  review: { answerId: number; mentorId: number; scores: Record<string, number>; total: number; feedback: string; best: boolean },
  now: Date,
): Promise<boolean> {
  const db = executor(handle);
  const inserted = await db
    .insertInto('review')
    .values({ team_id: teamId, answer_id: review.answerId, mentor_id: review.mentorId, scores: JSON.stringify(review.scores), total: review.total, feedback: review.feedback, best_answer: review.best, created_at: now })
    .onConflict((oc) => oc.column('answer_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
