/**
 * The question of the day to N channels at once: schedules set with `/dojo schedule set` in 10 channels and
 * copied to the rest in SQL, then made due together (next_run_at moved to now in the database), timed to
 * the last post.
 * The floor: a bare WebClient posting the same N messages to the same fake.
 */
import { WebClient } from '@slack/web-api';
import pg from 'pg';
import type { FakeSlack } from '../test/fakes/slack/server.js';
import { closedLoop, now, sleep } from './lib/util.js';
import type { SlackTarget } from './slack.js';

export async function webClientFloor(fake: FakeSlack, n: number): Promise<number> {
  const client = new WebClient('xoxb-acme', { slackApiUrl: fake.apiUrl });
  const s = now();
  await Promise.all(Array.from({ length: n }, (_, i) => client.chat.postMessage({ channel: `CW${i}`, text: 'Question of the day: what does an index cost on writes?' })));
  return now() - s;
}

/** Schedules set by command; the rest are copies of the first made in SQL (on a loaded machine 500 commands took over 2 minutes). */
const BY_COMMAND = 10;

/** `cpu`: the bot's CPU seconds so far, read when the schedules are made due and after the last post. */
export async function fanOut(t: SlackTarget, fake: FakeSlack, url: string, n: number, cpu: () => number = () => NaN, tag = '') {
  const prefix = `CF${tag}${n}x`;
  // One schedule per channel, set the way an admin sets it.
  const typed = Math.min(n, BY_COMMAND);
  await closedLoop(
    async (i) => {
      const sent = await t.driver.command('schedule set days:daily time:08:00 tz:UTC kind:open window:2h', { user: 'UADMIN', userName: 'admin', channel: `${prefix}${i}` });
      return sent.status === 200 && t.replies!.wait(sent.responseId, 15_000);
    },
    { count: typed, inFlight: 10, maxMs: 120_000 },
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (typed < n) await copySchedules(client, prefix, typed, n);
  const before = fake.calls.length;
  // Due on an instant the tick runs at (every 5 s, on the second), as a schedule's minute always is: a
  // due time between ticks would add up to 5 s of waiting for the tick, which no real schedule sees.
  const dueWall = Math.ceil((Date.now() + 1500) / 5000) * 5000;
  await client.query(`update schedule s set next_run_at = to_timestamp($2::float8 / 1000) from channel c where c.id = s.channel_id and c.platform_channel_id like $1`, [`${prefix}%`, dueWall]);
  await client.end();
  await sleep(Math.max(0, dueWall - Date.now()));
  const cpu0 = cpu();
  const until = Date.now() + Math.max(60_000, n * 200);
  let posts: { channel: string; at: number }[] = [];
  while (Date.now() < until) {
    posts = fake.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith(prefix) && !c.args.thread_ts && c.args.ts)
      .map((c) => ({ channel: String(c.args.channel), at: c.at }));
    if (new Set(posts.map((p) => p.channel)).size >= n) break;
    await sleep(100);
  }
  const cpuSeconds = cpu() - cpu0;
  const channels = new Set(posts.map((p) => p.channel));
  const first = Math.min(...posts.map((p) => p.at));
  const last = Math.max(...posts.map((p) => p.at));
  return { posted: channels.size, duplicates: posts.length - channels.size, lastAfterFirst: last - first, firstAfterDue: first - dueWall, lastAfterDue: last - dueWall, cpuSeconds };
}

/** Channels `from`..`n - 1` of the prefix, each with a copy of the first channel's schedule. */
async function copySchedules(client: pg.Client, prefix: string, from: number, n: number): Promise<void> {
  await client.query(
    `with c as (insert into channel (team_id, platform_channel_id, name)
       select f.team_id, $1 || g, 'fan-' || g from generate_series($2::int, $3::int - 1) g, (select team_id from channel where platform_channel_id = $1 || '0') f
       on conflict do nothing returning id, team_id)
     insert into schedule (team_id, channel_id, days, local_time, timezone, cron, difficulty_policy, topics, categories, kinds, blind, window_minutes, enabled, next_run_at, created_by)
     select c.team_id, c.id, s.days, s.local_time, s.timezone, s.cron, s.difficulty_policy, s.topics, s.categories, s.kinds, s.blind, s.window_minutes, true, s.next_run_at, s.created_by
     from c, (select s.* from schedule s join channel ch on ch.id = s.channel_id where ch.platform_channel_id = $1 || '0') s`,
    [prefix, from, n],
  );
  await client.query('analyze channel; analyze schedule');
}

/**
 * What the platforms' limits allow for one post in each of `n` channels at once: Slack paces a channel
 * (about one message a second), so distinct channels need no wait past the bare client's own time;
 * Discord allows a bot 50 requests a second in all, so n posts take at least n / 50 seconds.
 */
export function allowedByLimits(n: number, webClientMs: number): { slackMs: number; discordMs: number } {
  return { slackMs: webClientMs, discordMs: (n / 50) * 1000 };
}
