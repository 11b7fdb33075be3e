/**
 * The question of the day: a schedule per channel (days and time in an IANA zone, or cron), and the
 * tick's job of posting it when due. Due work lives in Postgres (`next_run_at`), claimed with SKIP
 * LOCKED, and the unique (channel, local date) key keeps it to one question a day whatever happens.
 */
import { knownTopics, questionPool } from '../db/repos/questions.js';
import { channelHistory } from '../db/repos/rounds.js';
import { disableSchedule, postedDates, scheduleOfChannel, upsertSchedule } from '../db/repos/schedules.js';
import type { Intent } from './commands.js';
import type { Ctx, Work } from './context.js';
import { ephemeral, announceText, type FlowOutcome } from './announce.js';
import type { Outcome } from './ports.js';
import { CATEGORIES } from './question-model.js';
import { cronProblem, nextRun, nextRuns, type Recurrence } from './recurrence.js';
import { formatLocal, localDate, zoneWarning } from './time.js';
import { unknownTopicText } from './topics.js';
import type { Schedule } from '../db/repos/types.js';

const DAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function describeDays(days: number[]): string {
  const key = days.join(',');
  if (key === '1,2,3,4,5,6,7') return 'every day';
  if (key === '1,2,3,4,5') return 'Mon–Fri';
  return days.map((d) => DAY[d]).join(', ');
}

/** The schedule in one line; `pool` (what it draws from) and `nextNote` (why that day) when known. */
export function describeSchedule(s: Schedule, extra: { pool?: string; nextNote?: string } = {}): string {
  const when = s.cron ? `cron "${s.cron}" (${s.timezone})` : `${describeDays(s.days)} at ${s.local_time} ${s.timezone}`;
  const policy = s.difficulty_policy;
  const difficulty = policy.mode === 'fixed' ? policy.difficulty : policy.mode === 'weighted' ? `weighted ${policy.weights.beginner}/${policy.weights.intermediate}/${policy.weights.advanced}` : 'rotating';
  const parts = [
    `Question of the day: ${when}`,
    `difficulty ${difficulty}`,
    s.topics.length ? `topics ${s.topics.join(', ')}` : 'all topics',
    ...(s.categories.length ? [`categories ${s.categories.join(', ')}`] : []),
    ...(s.kinds.length ? [`${s.kinds.join(' and ')} questions`] : []),
    s.blind ? 'blind answers' : 'answers shown in the thread',
    `open for ${formatMinutes(s.window_minutes)}`,
    ...(extra.pool ? [extra.pool] : []),
  ];
  const status = s.enabled ? (s.next_run_at ? `Next: ${formatLocal(s.next_run_at, s.timezone)}${extra.nextNote ?? ''}.` : 'No upcoming run.') : `Paused${s.paused_reason ? ` (${s.paused_reason})` : ''}.`;
  return `${parts.join(' · ')}. ${status}`;
}

function formatMinutes(m: number): string {
  if (m % 1440 === 0) return `${m / 1440}d`;
  if (m % 60 === 0) return `${m / 60}h`;
  return `${m}m`;
}

export async function setSchedule(ctx: Ctx, intent: Extract<Intent, { cmd: 'schedule-set' }>): Promise<FlowOutcome> {
  const o = intent.options;
  if (o.topics?.length) {
    const known = new Set(await knownTopics(ctx.trx, ctx.team.id));
    const unknown = o.topics.filter((t) => !known.has(t));
    if (unknown.length) return ephemeral(`${await unknownTopicText(ctx.trx, ctx.team.id, unknown)}\nExample: /dojo schedule set topics:databases,caching`);
  }
  if (o.categories?.length) {
    const bad = o.categories.filter((c) => !(CATEGORIES as readonly string[]).includes(c));
    if (bad.length) return ephemeral(`Unknown categor${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')}; use ${CATEGORIES.join(', ')}.\nExample: /dojo schedule set categories:technical`);
  }
  const current = await scheduleOfChannel(ctx.trx, ctx.channel.id);
  const s = {
    days: o.days ?? current?.days ?? [1, 2, 3, 4, 5],
    local_time: o.time ?? current?.local_time ?? '09:00',
    timezone: o.timezone ?? current?.timezone ?? ctx.team.timezone,
    cron: o.cron ?? (o.days || o.time ? null : (current?.cron ?? null)),
    difficulty_policy: o.difficulty ?? current?.difficulty_policy ?? { mode: 'rotating' as const },
    topics: o.topics ?? current?.topics ?? [],
    categories: o.categories ?? current?.categories ?? [],
    kinds: o.kinds ?? current?.kinds ?? [],
    blind: o.blind ?? current?.blind ?? false,
    window_minutes: o.windowMinutes ?? current?.window_minutes ?? 480,
  };
  if (s.cron) {
    const problem = cronProblem(s.cron, s.timezone, ctx.now);
    if (problem) return ephemeral(`${problem}.`);
  }
  const pool = await schedulePool(ctx, ctx.team.id, s);
  if (pool.length === 0) return ephemeral(`No question matches all of ${describeFilter(s)}, so this schedule would have nothing to post. Widen one of them, like difficulty:rotating or kind:mixed.`);
  const rule = { days: s.days, time: s.local_time, timezone: s.timezone, cron: s.cron };
  const taken = await postedDates(ctx.trx, ctx.channel.id, localDate(new Date(ctx.now.getTime() - 86_400_000), s.timezone));
  const next = nextRun(rule, ctx.now, taken);
  const row = await upsertSchedule(ctx.trx, {
    team_id: ctx.team.id,
    channel_id: ctx.channel.id,
    ...s,
    difficulty_policy: JSON.stringify(s.difficulty_policy),
    enabled: true,
    paused_reason: null,
    next_run_at: next ?? null,
    failure_count: 0,
    last_error: null,
    created_by: ctx.member.id,
    updated_at: ctx.now,
  });
  // A day that already had its question gets no second one (one a channel a local date).
  const plain = nextRun(rule, ctx.now);
  const skipped = next && plain && plain.getTime() !== next.getTime() ? ` (${localDate(plain, s.timezone) === localDate(ctx.now, s.timezone) ? 'today' : formatDay(plain, s.timezone)} already had its question here)` : '';
  const warning = zoneWarning(s.timezone);
  const drawn = await poolText(ctx, rule, pool, next);
  const text = `Saved. ${describeSchedule(row, { nextNote: skipped })} ${drawn[0]!.toUpperCase()}${drawn.slice(1)}.${warning ? `\nNote: ${warning}` : ''}`;
  return announceText(ctx, text, {
    failed: (reason) => `Saved, but I couldn't post in this channel (${reason}), so its question of the day can't appear here either. Add me to the channel first.`,
  });
}

type PoolSpec = Pick<Schedule, 'topics' | 'categories' | 'kinds' | 'difficulty_policy'>;

/** The questions a schedule draws from; a fixed difficulty is kept to, whatever else is in the bank. */
/** Pools already read in this transaction, by team and filter: a batch of due schedules shares them. */
const pools = new WeakMap<object, Map<string, ReturnType<typeof questionPool>>>();

export async function schedulePool(work: Work, teamId: string, s: PoolSpec) {
  const policy = s.difficulty_policy;
  const filter = { topics: s.topics, categories: s.categories, kinds: s.kinds, difficulty: policy.mode === 'fixed' ? policy.difficulty : undefined };
  let memo = pools.get(work.trx);
  if (!memo) pools.set(work.trx, (memo = new Map()));
  const key = JSON.stringify([teamId, filter]);
  let pool = memo.get(key);
  if (!pool) memo.set(key, (pool = questionPool(work.trx, teamId, filter)));
  return pool;
}

function describeFilter(s: PoolSpec): string {
  const policy = s.difficulty_policy;
  const parts = [
    ...(policy.mode === 'fixed' ? [policy.difficulty] : []),
    ...(s.kinds.length ? [s.kinds.join(' or ')] : []),
    ...(s.categories.length ? [s.categories.join(' or ')] : []),
    ...(s.topics.length ? [`on ${s.topics.join(' or ')}`] : []),
  ];
  return parts.length ? parts.join(', ') : 'the bank';
}

/** "draws from 12 questions, repeating from Tue 5 Jan 2027" */
async function poolText(ctx: Ctx, rule: Recurrence, pool: { id: number }[], next: Date | undefined): Promise<string> {
  const used = new Set((await channelHistory(ctx.trx, ctx.channel.id)).map((h) => h.question_id));
  const fresh = pool.filter((q) => !used.has(q.id)).length;
  const size = `draws from ${pool.length} question${pool.length === 1 ? '' : 's'}`;
  if (!next) return size;
  if (fresh === 0) return `${size}, all asked here before (they repeat, the longest ago first)`;
  // The run after the last fresh question is the first repeat.
  const runs = fresh < 370 ? [next, ...nextRuns(rule, next, fresh)] : [];
  const repeat = runs[fresh];
  if (!repeat) return `${size}, enough for over a year without a repeat`;
  return `${size}, repeating from ${formatDay(repeat, rule.timezone)}`;
}

const formatDay = (at: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(at);

export async function showSchedule(ctx: Ctx): Promise<Outcome> {
  const s = await scheduleOfChannel(ctx.trx, ctx.channel.id);
  if (!s) return ephemeral('No question of the day here yet. An admin can start one: /dojo schedule set days:mon-fri time:09:00 tz:Europe/Berlin');
  const pool = await schedulePool(ctx, ctx.team.id, s);
  const rule = { days: s.days, time: s.local_time, timezone: s.timezone, cron: s.cron };
  return ephemeral(describeSchedule(s, { pool: await poolText(ctx, rule, pool, s.enabled ? (s.next_run_at ?? undefined) : undefined) }));
}

export async function scheduleOff(ctx: Ctx): Promise<FlowOutcome> {
  switch (await disableSchedule(ctx.trx, ctx.channel.id, ctx.now)) {
    case 'off': {
      const text = 'The question of the day is off in this channel. /dojo schedule set turns it back on.';
      return announceText(ctx, text, { failed: (reason) => `${text} (I couldn't say so in the channel: ${reason}.)` });
    }
    case 'already':
      return ephemeral('The question of the day is already off here. /dojo schedule set turns it back on.');
    case 'none':
      return ephemeral('There is no schedule in this channel.');
  }
}
