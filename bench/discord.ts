/**
 * Discord against the fake gateway and REST: what the user first sees after `/dojo help` (the callback
 * when it carries content, else the edit of the deferred reply), one interaction at a time.
 */
import type { FakeDiscord } from '../test/fakes/discord/index.js';
import { snowflake } from '../test/fakes/discord/payloads.js';
import { now, sleep } from './lib/util.js';

export async function waitConnected(fake: FakeDiscord, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (fake.gateway?.connected) return true;
    await sleep(50);
  }
  return false;
}

/** First visible content of `/dojo help`, `count` times in a row (each bounded by 10 s). */
export async function helpFirstContent(fake: FakeDiscord, o: { count: number; maxMs: number }) {
  const latencies: number[] = [];
  let failed = 0;
  const start = now();
  // Keep memory flat and learn about calls at once.
  const calls = fake.rest.calls;
  for (let i = 0; i < o.count && now() - start < o.maxMs; i++) {
    const user = { id: snowflake(), username: `member${i}` };
    let sentToken = '';
    const s = now();
    const seen = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, 10_000);
      const off = fake.rest.onCall((call) => {
        if (!sentToken || !call.path.includes(sentToken) || call.status >= 300) return;
        const body = call.body as { type?: number; data?: { content?: string; embeds?: unknown[] }; content?: string; embeds?: unknown[] } | undefined;
        const content = call.method === 'POST' && call.path.endsWith('/callback') ? (body?.type === 4 ? body.data : undefined) : body;
        if (!content || (!content.content && !content.embeds?.length)) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
    sentToken = fake.play.slash(user, ['help']).token;
    if (await seen) latencies.push(now() - s);
    else failed++;
    calls.length = 0;
  }
  return { latencies, failed };
}
