/**
 * How the outbox's posts are scheduled (issue 13): one lane per channel for the paced sender, the
 * platform's pacing, one sender per dojo instance, and the team rows the sender needs, read once.
 */
import { extendOutboxLease } from '../db/repos/outbox.js';
import { findTeam } from '../db/repos/tenancy.js';
import type { Deps } from './context.js';
import type { Outgoing } from './outbox.js';
import { capabilitiesOf, type TeamRef } from './ports.js';
import { Sender, type SendTask } from './sender.js';

/** A port that states no limits (memory, playground) is not paced. */
const UNPACED = { perChannel: Infinity };

type Team = NonNullable<Awaited<ReturnType<typeof findTeam>>>;

/** One lane per channel (or per direct message), so a channel's posts keep their order and pace. */
export function laneOf(teamId: string, channelId: number | null | undefined, outgoing: Outgoing): string {
  if (outgoing.kind === 'dm') return `${teamId}:dm:${outgoing.userId}`;
  return channelId != null ? `${teamId}:c${channelId}` : outgoing.kind === 'post' ? `${teamId}:${outgoing.channel}` : `${teamId}:?`;
}

export function taskOf(deps: Deps, teamId: string, channel: string, run: () => Promise<void>): SendTask {
  const at = teamId.indexOf(':');
  const platform = teamId.slice(0, at) as TeamRef['platform'];
  const pacing = capabilitiesOf(deps.chat, { platform, id: teamId.slice(at + 1) }).pacing ?? UNPACED;
  return { channel, bot: platform, pacing, run };
}

/**
 * Sends in flight at once for the whole instance. Each waits a platform round trip (100-300 ms on
 * Slack's Web API), so this, not the CPU, paces a fan-out: 16 made 1,000 channels take 6.6 s where a
 * bare WebClient (100 at once, its default) took 1.3 s with 100 ms answers (issue 13). Per-channel pace
 * (lanes), Discord's 50/s (perBot) and 429s (the clients wait out Retry-After) still hold.
 */
export const SEND_CONCURRENCY = 100;

/** The sender of a dojo instance: the tick's posts and retries go through it. */
const senders = new WeakMap<Deps, Sender>();
export function senderOf(deps: Deps): Sender {
  let s = senders.get(deps);
  if (!s) senders.set(deps, (s = new Sender(SEND_CONCURRENCY)));
  return s;
}

/** Team rows by id for the sender (a team's platform, id and name do not change; a gone team is looked up again). */
const teams = new WeakMap<Deps, Map<string, Team>>();
export async function teamOf(deps: Deps, teamId: string): Promise<Team | undefined> {
  let memo = teams.get(deps);
  if (!memo) teams.set(deps, (memo = new Map()));
  const known = memo.get(teamId);
  if (known) return known;
  const team = await findTeam(deps.db, teamId);
  if (team) {
    if (memo.size >= 10_000) memo.clear();
    memo.set(teamId, team);
  }
  return team;
}

/** A claimed row that waited (in a transaction, in its lane) past a third of its lease: extended first, or skipped if another owner took it. */
export async function stillOurs(deps: Deps, row: { id: number; owner: string | null }, claimedAt: number, leaseMs: number): Promise<boolean> {
  if (Date.now() - claimedAt <= leaseMs / 3) return true;
  return extendOutboxLease(deps.db, row.id, row.owner!, new Date(deps.clock.now().getTime() + leaseMs));
}
