/**
 * Choosing the next question: pure, and deterministic for a given random source.
 * 1. Never repeat a question in a channel until its filtered pool is exhausted; then start over with
 *    the questions used longest ago.
 * 2. Prefer what the team has not met recently in any channel.
 * 3. Balance areas: prefer the area (first topic) the channel has seen least in its recent rounds.
 * 4. Difficulty follows the channel's policy when the pool allows it.
 * The one place questions are picked: quizzes, `/dojo question` and the question of the day read the
 * channel's history here (pickForChannel), and practice's new question draws at random (pickAtRandom).
 */
import { channelHistory, teamRecentQuestionIds } from '../db/repos/rounds.js';
import type { Work } from './context.js';
import type { Difficulty } from './question-model.js';
import { DIFFICULTIES } from './question-model.js';

export interface Candidate {
  id: number;
  topics: string[];
  difficulty: Difficulty;
}

export interface History {
  /** Questions used in this channel with when, newest first. */
  channel: { questionId: number; at: Date }[];
  /** Questions the team met recently in any channel. */
  teamRecent: Set<number>;
}

export type DifficultyPolicy =
  | { mode: 'any' }
  | { mode: 'fixed'; difficulty: Difficulty }
  | { mode: 'rotating' }
  | { mode: 'weighted'; weights: Record<Difficulty, number> };

const RECENT_AREAS = 12;
/** How far back "met by the team recently" looks. */
const TEAM_RECENT_MS = 14 * 86_400_000;
export const recentSince = (now: Date) => new Date(now.getTime() - TEAM_RECENT_MS);
/** The channel's history (newest first, as channelHistory reads it) and the team's recent questions, when the caller read them already. */
export interface KnownHistory {
  channel: { question_id: number; opened_at: Date }[];
  teamRecent: Set<number>;
}

/** mulberry32: a small seeded generator for tests and reproducible picks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function targetDifficulty(policy: DifficultyPolicy, roundsSoFar: number, random: () => number): Difficulty | undefined {
  switch (policy.mode) {
    case 'any':
      return undefined;
    case 'fixed':
      return policy.difficulty;
    case 'rotating':
      return DIFFICULTIES[roundsSoFar % DIFFICULTIES.length];
    case 'weighted': {
      const total = DIFFICULTIES.reduce((sum, d) => sum + policy.weights[d], 0);
      let r = random() * total;
      for (const d of DIFFICULTIES) {
        r -= policy.weights[d];
        if (r < 0) return d;
      }
      return DIFFICULTIES[DIFFICULTIES.length - 1];
    }
    default: {
      const never: never = policy;
      throw new Error(`unknown policy ${JSON.stringify(never)}`);
    }
  }
}

export function pickQuestion(
  candidates: Candidate[],
  history: History,
  options: { difficulty?: Difficulty; exclude?: Set<number>; random: () => number; areaOf?: Map<number, string> },
): Candidate | undefined {
  const exclude = options.exclude;
  const pool = exclude?.size ? candidates.filter((c) => !exclude.has(c.id)) : candidates;
  if (pool.length === 0) return undefined;
  const lastUse = new Map<number, number>();
  for (const h of history.channel) if (!lastUse.has(h.questionId)) lastUse.set(h.questionId, h.at.getTime());

  // 1. Unused in this channel; when the pool is exhausted, the oldest quarter of it.
  let choice = pool.filter((c) => !lastUse.has(c.id));
  if (choice.length === 0) {
    const byAge = [...pool].sort((a, b) => (lastUse.get(a.id) ?? 0) - (lastUse.get(b.id) ?? 0) || a.id - b.id);
    choice = byAge.slice(0, Math.max(1, Math.ceil(byAge.length / 4)));
  }
  // 4. The wanted difficulty when there is one.
  if (options.difficulty) {
    const same = choice.filter((c) => c.difficulty === options.difficulty);
    if (same.length) choice = same;
  }
  // 2. Not met by the team recently.
  const fresh = choice.filter((c) => !history.teamRecent.has(c.id));
  if (fresh.length) choice = fresh;
  // 3. The least-seen area among the channel's recent rounds.
  const areaCount = new Map<string, number>();
  const areaOf = (id: number) => options.areaOf?.get(id);
  for (const h of history.channel.slice(0, RECENT_AREAS)) {
    const area = areaOf(h.questionId);
    if (area) areaCount.set(area, (areaCount.get(area) ?? 0) + 1);
  }
  const count = (c: Candidate) => areaCount.get(c.topics[0] ?? '') ?? 0;
  let least = Infinity;
  for (const c of choice) least = Math.min(least, count(c));
  choice = choice.filter((c) => count(c) === least).sort((a, b) => a.id - b.id);
  return choice[Math.floor(options.random() * choice.length)];
}

/**
 * Picks up to `count` distinct questions for a channel, by the rules above, from its history and the
 * team's recent rounds; with a difficulty `policy` (the question of the day) its target is drawn first.
 */
export async function pickForChannel(
  work: Work,
  where: { teamId: string; channelId: number },
  candidates: Candidate[],
  options: { count: number; policy?: DifficultyPolicy; known?: KnownHistory },
): Promise<number[]> {
  const used = options.known?.channel ?? (await channelHistory(work.trx, where.channelId));
  const difficulty = options.policy ? targetDifficulty(options.policy, used.length, work.deps.random) : undefined;
  const history: History = {
    channel: used.map((h) => ({ questionId: h.question_id, at: h.opened_at })),
    teamRecent: options.known?.teamRecent ?? new Set(await teamRecentQuestionIds(work.trx, where.teamId, recentSince(work.now))),
  };
  const areaOf = areasOf(candidates);
  const chosen: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const pick = pickQuestion(candidates, history, { ...(difficulty ? { difficulty } : {}), exclude: new Set(chosen), random: work.deps.random, areaOf });
    if (!pick) break;
    chosen.push(pick.id);
    history.channel.unshift({ questionId: pick.id, at: work.now });
  }
  return chosen;
}

/**
 * Each candidate's area by id, made once per pool: a batch of due schedules shares its pools (schedulePool),
 * and making the map for each of 1,000 channels was a tenth of a fan-out's CPU (issue 13).
 */
const areas = new WeakMap<Candidate[], Map<number, string>>();
function areasOf(candidates: Candidate[]): Map<number, string> {
  let map = areas.get(candidates);
  if (!map) areas.set(candidates, (map = new Map(candidates.map((c) => [c.id, c.topics[0] ?? '']))));
  return map;
}

/** One of `pool` at random (practice's new question), or undefined when it is empty. */
export function pickAtRandom<T>(pool: T[], random: () => number): T | undefined {
  return pool.length ? pool[Math.floor(random() * pool.length)] : undefined;
}
