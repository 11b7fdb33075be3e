import type { Generated, Selectable } from 'kysely';

/** A thread a round's or a quiz's card was posted under (a re-post on Slack can leave two). */
export interface PostedThreadTable {
  id: Generated<number>;
  team_id: string;
  round_id: number | null;
  quiz_id: number | null;
  thread_ref: string;
  message_ref: string;
  posted_at: Generated<Date>;
}
export type PostedThreadRow = Selectable<PostedThreadTable>;
export interface PartialDB { posted_thread: PostedThreadTable }
