/** What follows a post that failed for good: the schedule behind it pauses, its round stops waiting. */
import { membersWithRole } from '../db/repos/tenancy.js';
import { pauseSchedule } from '../db/repos/schedules.js';
import { closeUnpostedRound, stopUnpostedQuiz } from '../db/repos/rounds.js';
import type { OutboxEntry } from '../db/repos/types.js';
import type { Work } from './context.js';
import type { Outgoing } from './outbox.js';
import { send } from './outbox.js';
import { message } from './messages.js';

/** Runs in the transaction that marks the row failed (and only for the row's current owner). */
export async function onPermanentFailure(work: Work, row: OutboxEntry, outgoing: Outgoing, reason: string): Promise<void> {
  // A card nobody can see: its round closes quietly instead of waiting to post "Time's up" nowhere.
  if (outgoing.kind === 'post' && outgoing.link?.roundId) await closeUnpostedRound(work.trx, row.team_id, outgoing.link.roundId, work.now);
  if (outgoing.kind === 'post' && outgoing.link?.quizId) await stopUnpostedQuiz(work.trx, row.team_id, outgoing.link.quizId, work.now);
  if (row.schedule_id === null || outgoing.kind === 'dm') return;
  const paused = await pauseSchedule(work.trx, row.schedule_id, `posting failed: ${friendly(reason)}`, work.now, reason);
  if (!paused) return;
  const admins = await membersWithRole(work.trx, row.team_id, ['admin']);
  const text = `I couldn't post the question of the day in #${paused.channelName || paused.channel} (${friendly(reason)}), so I paused its schedule. Add me back to the channel, then run /dojo schedule set there to resume.`;
  for (const admin of admins) {
    await send(work, { teamId: row.team_id }, { kind: 'dm', userId: admin.platform_user_id, message: message([{ type: 'text', text }]) });
  }
}

/** A failure reason as people read it. */
export function friendly(reason: string): string {
  if (reason.startsWith('not_in_channel')) return "I'm not in that channel";
  if (reason.startsWith('channel_not_found')) return 'the channel is gone';
  if (reason.startsWith('archived')) return 'the channel is archived';
  if (reason.startsWith('missing_permissions')) return "I'm missing permissions there";
  return 'it kept failing';
}
