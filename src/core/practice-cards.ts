/**
 * What practice knows about a member: reviews recorded on their cards (from rounds, quizzes, mentors'
 * reviews and practice itself), their topics from strongest to weakest, and the question to practise next.
 */
import { topicStrengths } from '../db/repos/member-history.js';
import { cardsByArea, dueQuestionIds, findCard, nextDue, practisedQuestionIds, saveCard } from '../db/repos/practice.js';
import { findVisibleQuestion, questionPool } from '../db/repos/questions.js';
import type { Handle } from '../db/repos/types.js';
import type { Work } from './context.js';
import type { QuestionView } from './render.js';
import { questionView } from './rounds.js';
import { MAX_CRITERION } from './scoring.js';
import { pickAtRandom } from './selection.js';
import { retrievability, reviewCard, type CardState, type Grade, type StoredCard } from './spaced.js';

/** Records a review of the member's card for a question; `source` names what gave it (see reviewCard). */
export async function rememberGrade(work: Work, teamId: string, memberId: number, questionId: number, grade: Grade, source: string): Promise<CardState> {
  const stored = await findCard(work.trx, teamId, memberId, questionId);
  const reviewed = reviewCard(stored, grade, work.now, source);
  await saveCard(work.trx, teamId, memberId, questionId, { ...reviewed, source }, work.now);
  return reviewed.card;
}

export interface TopicStrength {
  area: string;
  /** Share of points earned in scored answers, 0-1, and how many. */
  history?: { score: number; n: number };
  /** The average chance of recalling its practised questions now, 0-1, and how many. */
  retention?: { score: number; n: number };
  /** Both measures averaged: what "strongest" and "weakest" compare. */
  score: number;
}

/** The member's topics, strongest first. */
export async function memberTopics(db: Handle, teamId: string, memberId: number, now: Date): Promise<TopicStrength[]> {
  return topicsOf(await topicStrengths(db, teamId, memberId, 3 * MAX_CRITERION), await cardsByArea(db, teamId, memberId), now);
}

/** The same from what was read: scored answers' strength per topic and the member's cards. */
export function topicsOf(history: { area: string; score: number; n: number }[], allCards: { area: string; card: StoredCard }[], now: Date): TopicStrength[] {
  const byArea = new Map<string, TopicStrength>();
  const of = (area: string) => byArea.get(area) ?? byArea.set(area, { area, score: 0 }).get(area)!;
  for (const h of history) of(h.area).history = { score: h.score, n: h.n };
  const cards = allCards.filter((c) => c.card.state !== 0);
  for (const area of new Set(cards.map((c) => c.area))) {
    const mine = cards.filter((c) => c.area === area);
    of(area).retention = { score: mine.reduce((sum, c) => sum + retrievability(c.card, now), 0) / mine.length, n: mine.length };
  }
  const all = [...byArea.values()];
  for (const t of all) {
    const parts = [t.history?.score, t.retention?.score].filter((x): x is number => x !== undefined);
    t.score = parts.reduce((a, b) => a + b, 0) / parts.length;
  }
  return all.sort((a, b) => b.score - a.score || a.area.localeCompare(b.area));
}

export type Pick =
  | { kind: 'question'; question: QuestionView; card?: StoredCard; due: boolean }
  /** Nothing is due; the next card falls due then. */
  | { kind: 'later'; next: Date }
  /** Nothing is due and no new question is left (in the topic). */
  | { kind: 'none'; next?: Date };

export interface Who {
  teamId: string;
  memberId: number;
}

/**
 * The question to practise: the most overdue card, else (when the member has no card coming up, or asks
 * for a `fresh` one) a question they have not practised, picked at random.
 */
export async function pickPractice(work: Work, who: Who, options: { topic?: string; fresh?: boolean } = {}): Promise<Pick> {
  const { trx, now } = work;
  if (!options.fresh) {
    for (const id of await dueQuestionIds(trx, who.teamId, who.memberId, now, options.topic)) {
      const q = await findVisibleQuestion(trx, who.teamId, id);
      if (q) return { kind: 'question', question: questionView(q), card: await findCard(trx, who.teamId, who.memberId, id), due: true };
    }
  }
  const next = await nextDue(trx, who.teamId, who.memberId, now, options.topic);
  if (!options.fresh && next) return { kind: 'later', next };
  const practised = await practisedQuestionIds(trx, who.teamId, who.memberId);
  const pool = (await questionPool(trx, who.teamId, options.topic ? { topics: [options.topic] } : {})).filter((q) => !practised.has(q.id));
  const pick = pickAtRandom(pool, work.deps.random);
  const q = pick && (await findVisibleQuestion(trx, who.teamId, pick.id));
  return q ? { kind: 'question', question: questionView(q), due: false } : { kind: 'none', ...(next ? { next } : {}) };
}
