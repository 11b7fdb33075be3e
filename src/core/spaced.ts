/**
 * Spaced repetition with FSRS (ts-fsrs): each member has a card per question, and every sign of how well
 * they know it is a review of that card. A choice answer right or wrong, a self-rating (Again, Hard,
 * Good, Easy) and a mentor's review score all become one of the four grades; the scheduler turns the
 * grade into the next due date, so intervals grow with each success and a forgotten question comes back
 * within minutes. Pure: no database, no clock of its own.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, type Card, type Grade as FsrsGrade } from 'ts-fsrs';

export const GRADES = ['again', 'hard', 'good', 'easy'] as const;
export type Grade = (typeof GRADES)[number];

/** The scheduler's state of one card (ts-fsrs's Card, as stored). */
export interface CardState {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  lastReview: Date | null;
}

/** A stored card: its state, and what undoes its last review. */
export interface StoredCard extends CardState {
  questionId: number;
  lastRating: number | null;
  lastSource: string | null;
  previous: CardState | null;
}

/**
 * One learning step of 10 minutes (a miss comes back in the same sitting), then days; no fuzz, so the
 * same history always gives the same dates; at most a year between reviews.
 */
const scheduler = fsrs(generatorParameters({ learning_steps: ['10m'], relearning_steps: ['10m'], enable_fuzz: false, maximum_interval: 365, request_retention: 0.9 }));

const RATING: Record<Grade, FsrsGrade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

function toFsrs(c: CardState): Card {
  return {
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsedDays,
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    ...(c.lastReview ? { last_review: c.lastReview } : {}),
  };
}

function fromFsrs(c: Card): CardState {
  return {
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    lastReview: c.last_review ?? null,
  };
}

export function newCard(now: Date): CardState {
  return fromFsrs(createEmptyCard(now));
}

/**
 * The card after a review. A review from the same source as the last one (the same round's self-check
 * clicked again, a rating refining a practice answer) replaces it: it starts from the card before.
 */
export function reviewCard(stored: StoredCard | undefined, grade: Grade, now: Date, source: string): { card: CardState; previous: CardState | null; rating: number } {
  const replaces = stored !== undefined && stored.lastSource === source;
  const base = replaces ? (stored.previous ?? newCard(now)) : (stored ?? newCard(now));
  const next = scheduler.next(toFsrs(base), now, RATING[grade]).card;
  return { card: fromFsrs(next), previous: replaces ? stored.previous : stored ? stripStored(stored) : null, rating: RATING[grade] };
}

function stripStored(s: StoredCard): CardState {
  const { questionId: _q, lastRating: _r, lastSource: _s, previous: _p, ...state } = s;
  return state;
}

/** When each grade would bring the card back, for the rating buttons' note. */
export function previewDue(stored: StoredCard | undefined, now: Date, source: string): Record<Grade, Date> {
  return Object.fromEntries(GRADES.map((g) => [g, reviewCard(stored, g, now, source).card.due])) as Record<Grade, Date>;
}

/** The chance of recalling it now, 0-1 (0 for a card never reviewed). */
export function retrievability(card: CardState, now: Date): number {
  if (card.state === 0 || !card.lastReview) return 0;
  return scheduler.get_retrievability(toFsrs(card), now, false);
}

export const gradeOfChoice = (right: boolean): Grade => (right ? 'good' : 'again');

/** A mentor's rubric total as a grade: under a third again, under 60% hard, under 85% good, else easy. */
export function gradeOfScore(total: number, max: number): Grade {
  const share = max > 0 ? total / max : 0;
  return share < 1 / 3 ? 'again' : share < 0.6 ? 'hard' : share < 0.85 ? 'good' : 'easy';
}

/** The self-check of question cards (knew it / unsure / didn't know) as a grade. */
export const gradeOfSelfCheck = (rating: 'knew' | 'unsure' | 'didnt'): Grade => ({ knew: 'good', unsure: 'hard', didnt: 'again' } as const)[rating];

/** "10 minutes", "2 days", "3 weeks": how long from `from` to `to`, rounded for people. */
export function waitText(from: Date, to: Date): string {
  const minutes = Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return unit(hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 14) return unit(days, 'day');
  if (days < 60) return unit(Math.round(days / 7), 'week');
  return unit(Math.round(days / 30), 'month');
}
