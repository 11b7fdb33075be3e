/**
 * What a batch of due schedules needs, read in a few statements for the whole batch instead of several
 * per schedule (issue 13: 1,000 channels due at once): their teams and channels, the local dates that
 * already had a question, each channel's history and the team's recent questions; and their next runs
 * saved in one statement.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { ChannelRow } from '../schema/channel.js';
import type { TeamRow } from '../schema/team.js';

export interface ScheduleBatch {
  teams: Map<string, TeamRow>;
  channels: Map<number, ChannelRow>;
  /** Per channel: local dates (YYYY-MM-DD) from `since` on that had their question of the day. */
  posted: Map<number, string[]>;
  /** Per channel: its rounds' questions, newest first (at most `historyLimit`). */
  history: Map<number, { question_id: number; opened_at: Date }[]>;
  /** Per team: questions met in any channel since `recentSince`. */
  teamRecent: Map<string, Set<number>>;
}

const group = <K, V>(rows: V[], key: (v: V) => K): Map<K, V[]> => {
  const out = new Map<K, V[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
};

export async function readScheduleBatch(
  handle: Handle,
  o: { teamIds: string[]; channelIds: number[]; since: string; recentSince: Date; historyLimit: number },
): Promise<ScheduleBatch> {
  const db = executor(handle);
  const teams = o.teamIds.length ? await db.selectFrom('team').selectAll().where('id', 'in', o.teamIds).execute() : [];
  const channels = o.channelIds.length ? await db.selectFrom('channel').selectAll().where('id', 'in', o.channelIds).execute() : [];
  const ids = sql.val(o.channelIds);
  const rounds = await sql<{ channel_id: number; question_id: number; opened_at: Date; day: string | null }>`
    select c.id as channel_id, r.question_id, r.opened_at, null as day from unnest(${ids}::int[]) c(id)
      cross join lateral (select question_id, opened_at from round where channel_id = c.id order by opened_at desc limit ${o.historyLimit}) r
    union all
    select channel_id, null, null, local_date::text from round where channel_id = any(${ids}::int[]) and kind = 'qotd' and local_date >= ${o.since}::date`.execute(db);
  const recent = o.teamIds.length
    ? await db.selectFrom('round').select(['team_id', 'question_id']).distinct().where('team_id', 'in', o.teamIds).where('opened_at', '>=', o.recentSince).execute()
    : [];
  const used = rounds.rows.filter((r) => r.day === null);
  return {
    teams: new Map(teams.map((t) => [t.id, t])),
    channels: new Map(channels.map((c) => [c.id, c])),
    posted: new Map([...group(rounds.rows.filter((r) => r.day !== null), (r) => r.channel_id)].map(([k, v]) => [k, v.map((r) => r.day!)])),
    history: new Map([...group(used, (r) => r.channel_id)].map(([k, v]) => [k, v.map((r) => ({ question_id: r.question_id, opened_at: r.opened_at }))])),
    teamRecent: new Map([...group(recent, (r) => r.team_id)].map(([k, v]) => [k, new Set(v.map((r) => r.question_id))])),
  };
}

/** Saves the next run of each schedule in one statement. */
export async function setNextRuns(handle: Handle, runs: { id: number; next: Date | null }[], now: Date): Promise<void> {
  if (runs.length === 0) return;
  const db = executor(handle);
  await sql`update schedule s set next_run_at = v.next, updated_at = ${now}
    from unnest(${sql.val(runs.map((r) => r.id))}::int[], ${sql.val(runs.map((r) => r.next?.toISOString() ?? null))}::timestamptz[]) v(id, next)
    where s.id = v.id`.execute(db);
}
