/**
 * The question of the day: a schedule per channel (days and time in an IANA zone, or cron), and the
 * tick's job of posting it when due. Due work lives in Postgres (`next_run_at`), claimed with SKIP
 * LOCKED, and the unique (channel, local date) key keeps it to one question a day whatever happens.
 */
import { knownTopics, questionPool } from '../db/repos/questions.js';
import { channelHistory } from '../db/repos/rounds.js';
import { claimDueSchedules, disableSchedule, scheduleOfChannel, setNextRun, upsertSchedule } from '../db/repos/schedules.js';
import { findChannel, findTeam } from '../db/repos/tenancy.js';
import type { ScheduleRow } from '../db/schema/schedule.js';
import type { Intent } from './commands.js';
import type { Ctx, Work } from './context.js';
import type { Outcome } from './ports.js';
import { CATEGORIES } from './questions.js';
import { findQuestion } from '../db/repos/questions.js';
import { openRound } from './rounds.js';
import { pickQuestion, targetDifficulty, type DifficultyPolicy } from './selection.js';
import { cronProblem, formatLocal, localDate, nextRun } from './time.js';
import { teamRecentQuestionIds } from '../db/repos/rounds.js';

const DAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ephemeral = (text: string): Outcome => ({ reply: { text, visibility: 'ephemeral' } });

export function describeDays(days: number[]): string {
  const key = days.join(',');
  if (key === '1,2,3,4,5,6,7') return 'every day';
  if (key === '1,2,3,4,5') return 'Mon–Fri';
  return days.map((d) => DAY[d]).join(', ');
}

export function describeSchedule(s: ScheduleRow): string {
  const when = s.cron ? `cron "${s.cron}" (${s.timezone})` : `${describeDays(s.days)} at ${s.local_time} ${s.timezone}`;
  const policy = s.difficulty_policy;
  const difficulty = policy.mode === 'fixed' ? policy.difficulty : policy.mode === 'weighted' ? `weighted ${policy.weights.beginner}/${policy.weights.intermediate}/${policy.weights.advanced}` : 'rotating';
  const parts = [
    `Question of the day: ${when}`,
    `difficulty ${difficulty}`,
    s.topics.length ? `topics ${s.topics.join(', ')}` : 'all topics',
    ...(s.categories.length ? [`categories ${s.categories.join(', ')}`] : []),
    ...(s.kinds.length ? [`${s.kinds.join(' and ')} questions`] : []),
    s.blind ? 'blind answers' : 'answers in the thread',
    `open for ${formatMinutes(s.window_minutes)}`,
  ];
  const status = s.enabled ? (s.next_run_at ? `Next: ${formatLocal(s.next_run_at, s.timezone)}.` : 'No upcoming run.') : `Paused${s.paused_reason ? ` (${s.paused_reason})` : ''}.`;
  return `${parts.join(' · ')}. ${status}`;
}

function formatMinutes(m: number): string {
  if (m % 1440 === 0) return `${m / 1440}d`;
  if (m % 60 === 0) return `${m / 60}h`;
  return `${m}m`;
}

export async function setSchedule(ctx: Ctx, intent: Extract<Intent, { cmd: 'schedule-set' }>): Promise<Outcome> {
  const o = intent.options;
  if (o.cron) {
    const problem = cronProblem(o.cron);
    if (problem) return ephemeral(`${problem}.`);
  }
  if (o.topics?.length) {
    const known = new Set(await knownTopics(ctx.trx, ctx.team.id));
    const unknown = o.topics.filter((t) => !known.has(t));
    if (unknown.length) return ephemeral(`I have no questions on ${unknown.map((t) => `"${t}"`).join(', ')}. Topics include: ${[...known].slice(0, 25).join(', ')}.`);
  }
  if (o.categories?.length) {
    const bad = o.categories.filter((c) => !(CATEGORIES as readonly string[]).includes(c));
    if (bad.length) return ephemeral(`Unknown categor${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')}; use ${CATEGORIES.join(', ')}.`);
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
  const pool = await questionPool(ctx.trx, ctx.team.id, { topics: s.topics, categories: s.categories, kinds: s.kinds });
  if (pool.length === 0) return ephemeral('No questions match those topics and categories together; widen them a little.');
  const next = nextRun({ days: s.days, time: s.local_time, timezone: s.timezone, cron: s.cron }, ctx.now);
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
  return { reply: { text: `Saved. ${describeSchedule(row)}`, visibility: 'channel' } };
}

export async function showSchedule(ctx: Ctx): Promise<Outcome> {
  const s = await scheduleOfChannel(ctx.trx, ctx.channel.id);
  if (!s) return ephemeral('No question of the day here yet. An admin can start one: /dojo schedule set days:mon-fri time:09:00 tz:Europe/Berlin');
  return ephemeral(describeSchedule(s));
}

export async function scheduleOff(ctx: Ctx): Promise<Outcome> {
  const done = await disableSchedule(ctx.trx, ctx.channel.id, ctx.now);
  return done ? { reply: { text: 'The question of the day is off in this channel. /dojo schedule set turns it back on.', visibility: 'channel' } } : ephemeral('There is no schedule in this channel.');
}

/**
 * The tick's job: post every due question of the day, once per channel and local date. Returns how
 * many due schedules it handled (each moves to its next run whether or not it posted).
 */
export async function runDueSchedules(work: Work): Promise<number> {
  const due = await claimDueSchedules(work.trx, work.now);
  for (const s of due) {
    const rule = { days: s.days, time: s.local_time, timezone: s.timezone, cron: s.cron };
    // After downtime, post today's question once and move on; never a burst of missed days.
    const at = s.next_run_at!;
    await setNextRun(work.trx, s.id, nextRun(rule, work.now.getTime() > at.getTime() ? work.now : at) ?? null, work.now);
    const team = await findTeam(work.trx, s.team_id);
    const channel = await findChannel(work.trx, s.channel_id);
    if (!team || !channel) continue;
    const question = await chooseForSchedule(work, s);
    if (!question) continue;
    await openRound(work, {
      team,
      channel,
      question,
      kind: 'qotd',
      closesAt: new Date(work.now.getTime() + s.window_minutes * 60_000),
      blind: s.blind,
      title: 'Question of the day',
      scheduleId: s.id,
      localDate: localDate(at, s.timezone),
      timezone: s.timezone,
    });
  }
  return due.length;
}

async function chooseForSchedule(work: Work, s: ScheduleRow) {
  const pool = await questionPool(work.trx, s.team_id, { topics: s.topics, categories: s.categories, kinds: s.kinds });
  const history = await channelHistory(work.trx, s.channel_id);
  const qotdSoFar = history.length;
  const policy: DifficultyPolicy = s.difficulty_policy;
  const difficulty = targetDifficulty(policy, qotdSoFar, work.deps.random);
  const teamRecent = new Set(await teamRecentQuestionIds(work.trx, s.team_id, new Date(work.now.getTime() - 14 * 86_400_000)));
  const pick = pickQuestion(pool, { channel: history.map((h) => ({ questionId: h.question_id, at: h.opened_at })), teamRecent }, {
    difficulty,
    random: work.deps.random,
    areaOf: new Map(pool.map((q) => [q.id, q.topics[0] ?? ''])),
  });
  return pick ? findQuestion(work.trx, s.team_id, pick.id) : undefined;
}
