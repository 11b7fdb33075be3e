/**
 * The question of the day to N channels at once: N schedules set with `/dojo schedule set`, then made
 * due together (next_run_at moved to now in the database: the bench's one hook), timed to the last post.
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

export async function fanOut(t: SlackTarget, fake: FakeSlack, url: string, n: number) {
  const prefix = `CF${n}x`;
  // One schedule per channel, set the way an admin sets it.
  await closedLoop(
    async (i) => {
      const sent = await t.driver.command('schedule set days:daily time:08:00 tz:UTC kind:open window:2h', { user: 'UADMIN', userName: 'admin', channel: `${prefix}${i}` });
      return sent.status === 200 && t.replies!.wait(sent.responseId, 15_000);
    },
    { count: n, inFlight: 10, maxMs: 120_000 },
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const before = fake.calls.length;
  const due = now();
  await client.query(`update schedule s set next_run_at = now() from channel c where c.id = s.channel_id and c.platform_channel_id like $1`, [`${prefix}%`]);
  await client.end();
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
  const channels = new Set(posts.map((p) => p.channel));
  const dueWall = Date.now() - (now() - due);
  const first = Math.min(...posts.map((p) => p.at));
  const last = Math.max(...posts.map((p) => p.at));
  return { posted: channels.size, duplicates: posts.length - channels.size, lastAfterFirst: last - first, lastAfterDue: last - dueWall };
}
