/**
 * Discord against the fake gateway and REST, one interaction at a time: what the user first sees after a
 * help command and after clicking a choice of a posted question (the callback when it carries content
 * or updates the card, else the edit of a deferred reply or a follow-up), and the CPU the bot's
 * processes spent per interaction. The same loops measure Interview Dojo, the bare discord.js client
 * and a peer bot (bench/floors/lakeys.ts), each on its own FakeDiscord.
 */
import type { FakeDiscord, RecordedCall } from '../test/fakes/discord/index.js';
import type { Sent } from '../test/fakes/discord/interactions.js';
import { snowflake, type FakeUser } from '../test/fakes/discord/payloads.js';
import { figure, fmt, note, now, pct, sleep, treeCpuSeconds } from './lib/util.js';

export async function waitConnected(fake: FakeDiscord, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (fake.gateway?.connected) return true;
    await sleep(50);
  }
  return false;
}

type Body = { type?: number; data?: Shown; content?: string; embeds?: unknown[] } | undefined;
type Shown = { content?: string; embeds?: unknown[] } | undefined;

/** What a call shows the person: a reply (4) or an updated card (7) in the callback; an edit or a follow-up. */
function shownBy(call: RecordedCall): Shown {
  const body = call.body as Body;
  if (call.method === 'POST' && call.path.endsWith('/callback')) return body?.type === 4 || body?.type === 7 ? body.data : undefined;
  return body;
}

/** Runs `send` `count` times in a row (each bounded by 10 s): how long until each showed the person something. */
export async function firstContent(fake: FakeDiscord, send: (i: number) => Sent, o: { count: number; maxMs: number }) {
  const latencies: number[] = [];
  let failed = 0;
  const start = now();
  const calls = fake.rest.calls;
  for (let i = 0; i < o.count && now() - start < o.maxMs; i++) {
    let token = '';
    const s = now();
    const seen = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, 10_000);
      const off = fake.rest.onCall((call) => {
        if (!token || !call.path.includes(token) || call.status >= 300) return;
        const shown = shownBy(call);
        if (!shown || (!shown.content && !shown.embeds?.length)) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
    token = send(i).token;
    if (await seen) latencies.push(now() - s);
    else failed++;
    // Keep memory flat.
    calls.length = 0;
  }
  return { latencies, failed };
}

/** `n` members who play the loops (the help loop meets each once first: steady state, not first sight). */
export const members = (n: number): FakeUser[] => Array.from({ length: n }, (_, i) => ({ id: snowflake(), username: `player${i}` }));

/** A posted card and its choice buttons' custom ids. */
export interface Card {
  messageId: string;
  choices: string[];
}

/** How a bot is asked for help and shows a question with choices. */
export interface Target {
  /** The bot's processes (the product, or a peer's manager and its shards): their CPU is counted. */
  pid: number;
  help(fake: FakeDiscord, user: FakeUser): Sent;
  /** Gets a question with choice buttons posted, played by `by`. */
  card(fake: FakeDiscord, by: FakeUser): Promise<Card>;
  /** The bare client only: a card whose clicks it stores in Postgres before it answers them. */
  storingCard?(fake: FakeDiscord): Card;
}

export interface DiscordFigures {
  help: number[];
  helpFailed: number;
  /** CPU milliseconds per help interaction (the bot's processes, all threads). */
  helpCpuMs: number;
  click: number[];
  clickFailed: number;
  clickCpuMs: number;
  /** Help from members the bot has not met (first sight: Interview Dojo stores them). */
  firstSight?: number[];
  /** The bare client's clicks when it stores each in Postgres (one insert) before it answers. */
  storedClick?: number[];
}

/** Help, then choice clicks, each `count` times from a pool of members, with the CPU of each loop. */
export async function measureDiscord(fake: FakeDiscord, target: Target, o: { count: number; maxMs: number; pool?: number; firstSight?: number }): Promise<DiscordFigures> {
  await quiet(target.pid);
  const pool = members(o.pool ?? 20);
  const out: Partial<DiscordFigures> = {};
  if (o.firstSight) out.firstSight = (await firstContent(fake, (i) => target.help(fake, { id: snowflake(), username: `newcomer${i}` }), { count: o.firstSight, maxMs: o.maxMs })).latencies;
  await firstContent(fake, (i) => target.help(fake, pool[i % pool.length]!), { count: pool.length, maxMs: o.maxMs });
  let cpu0 = treeCpuSeconds(target.pid);
  const help = await firstContent(fake, (i) => target.help(fake, pool[i % pool.length]!), o);
  out.helpCpuMs = ((treeCpuSeconds(target.pid) - cpu0) * 1000) / Math.max(1, help.latencies.length);
  const card = await target.card(fake, pool[0]!);
  const click = (i: number) => fake.play.click(pool[i % pool.length]!, card.messageId, card.choices[Math.floor(i / pool.length) % card.choices.length]!);
  cpu0 = treeCpuSeconds(target.pid);
  const clicks = await firstContent(fake, click, o);
  out.clickCpuMs = ((treeCpuSeconds(target.pid) - cpu0) * 1000) / Math.max(1, clicks.latencies.length);
  const storing = target.storingCard?.(fake);
  if (storing) out.storedClick = (await firstContent(fake, (i) => fake.play.click(pool[i % pool.length]!, storing.messageId, storing.choices[i % storing.choices.length]!), o)).latencies;
  return { ...out, help: help.latencies, helpFailed: help.failed, click: clicks.latencies, clickFailed: clicks.failed } as DiscordFigures;
}

/** Waits (up to 15 s) until the bot's processes use under 10% of a core: start-up work (the bank, topics) is done. */
async function quiet(pid: number): Promise<void> {
  for (const until = now() + 15_000; now() < until; ) {
    const cpu0 = treeCpuSeconds(pid);
    await sleep(500);
    if (treeCpuSeconds(pid) - cpu0 < 0.05) return;
  }
}

/** The newest message in the fake's channel whose buttons match `choice`, polled until `timeoutMs`. */
export async function cardIn(fake: FakeDiscord, choice: RegExp, timeoutMs = 30_000, channelId = fake.channelId): Promise<Card> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = [...fake.messages.values()].reverse().find((m) => m.channel_id === channelId && buttonIds(m.components).some((id) => choice.test(id)));
    if (found) return { messageId: found.id, choices: buttonIds(found.components).filter((id) => choice.test(id)) };
    await sleep(25);
  }
  throw new Error(`no card with buttons ${choice} in channel ${channelId} after ${timeoutMs} ms`);
}

function buttonIds(rows: unknown[]): string[] {
  return (rows as { components?: { custom_id?: string }[] }[]).flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? '')).filter(Boolean);
}

/** Interview Dojo: `/dojo help`, and a choice question posted with `/dojo question kind:choice`. */
export const dojoTarget = (pid: number): Target => ({
  pid,
  help: (fake, user) => fake.play.slash(user, ['help']),
  card: async (fake, by) => {
    fake.play.slash(by, ['question'], { kind: 'choice' });
    return cardIn(fake, /^choice:/);
  },
});

/** The bare client replies to every interaction: help is any command, the card two buttons of the fake's own. */
export const bareTarget = (pid: number): Target => ({
  pid,
  help: (fake, user) => fake.play.slash(user, ['help']),
  card: async (fake) => bareCard(fake, 'pick'),
  storingCard: (fake) => bareCard(fake, 'store'),
});

/**
 * A card the shape of the bot's question card (an embed with the question and four choices, a row of four
 * choice buttons and a row of three more), so the click the bare client parses carries as much as the bot's.
 */
function bareCard(fake: FakeDiscord, prefix: string): Card {
  const choices = ['a', 'b', 'c', 'd'].map((x) => `${prefix}:${x}`);
  const description = `Which of these is the question of the day?\n\n**Difficulty:** intermediate · **Topic:** testing\n\n${choices.map((c) => `• ${c.toUpperCase()}. ${'an answer of about the usual length, '.repeat(2)}`).join('\n')}\n\n-# Pick an answer.`;
  const row = (ids: string[]) => ({ type: 1, components: ids.map((id) => ({ type: 2, style: 2, label: id, custom_id: id })) });
  const components = [row(choices), row(['knew', 'unsure', 'didnt'].map((x) => `other:${x}`))];
  return { messageId: fake.storeMessage(fake.channelId, { content: '', embeds: [{ color: 5793266, title: 'Question for the channel', description }], components }).id, choices };
}

const p = (v: number[], q: number) => pct(v, q);
const pair = (v: number[]) => `${fmt.ms(p(v, 50))} / ${fmt.ms(p(v, 99))}`;
const worst = (a: number[], b: number[]) => Math.max(p(a, 50) / p(b, 50), p(a, 99) / p(b, 99));

/**
 * One line per figure beside the bare client (the ratio: the worse of p50 and p99), and beside the
 * peer when it ran. `peer` undefined prints why it is missing.
 */
export function discordFigures(label: string, d: DiscordFigures, bare: DiscordFigures, peer: DiscordFigures | string): void {
  const failed = (n: number) => (n ? ` (${n} never)` : '');
  figure(`Discord help first content p50/p99 (${label})`, `${pair(d.help)}${failed(d.helpFailed)}`, `bare client ${pair(bare.help)}`, worst(d.help, bare.help));
  figure(`Discord choice click first content p50/p99 (${label})`, `${pair(d.click)}${failed(d.clickFailed)}`, `bare client ${pair(bare.click)}`, worst(d.click, bare.click));
  figure(`  CPU per help / per click (${label})`, `${fmt.ms(d.helpCpuMs)} / ${fmt.ms(d.clickCpuMs)}`, `bare client ${fmt.ms(bare.helpCpuMs)} / ${fmt.ms(bare.clickCpuMs)}`, Math.max(d.helpCpuMs / bare.helpCpuMs, d.clickCpuMs / bare.clickCpuMs));
  if (bare.storedClick?.length) {
    // One round trip to Postgres is the least a bot that keeps the pick it confirms must wait for.
    figure(`  choice click, beside a bare client that stores it first (${label})`, pair(d.click), `bare client + 1 insert ${pair(bare.storedClick)}`, worst(d.click, bare.storedClick));
  }
  if (d.firstSight) note(`help from members met for the first time (stored on the way): p50/p99 ${pair(d.firstSight)}`);
  if (typeof peer === 'string') {
    note(`LakeYS peer: ${peer}`);
    return;
  }
  figure(`  help first content, beside the peer (${label})`, pair(d.help), `LakeYS ${pair(peer.help)}`, worst(d.help, peer.help));
  figure(`  choice click first content, beside the peer (${label})`, pair(d.click), `LakeYS ${pair(peer.click)}`, worst(d.click, peer.click));
  figure(`  CPU per help / per click, beside the peer (${label})`, `${fmt.ms(d.helpCpuMs)} / ${fmt.ms(d.clickCpuMs)}`, `LakeYS ${fmt.ms(peer.helpCpuMs)} / ${fmt.ms(peer.clickCpuMs)}`, Math.max(d.helpCpuMs / peer.helpCpuMs, d.clickCpuMs / peer.clickCpuMs));
}
