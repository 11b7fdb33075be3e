/**
 * The ids of the buttons and modals the core renders. Adapters pass them back unchanged; the only thing
 * an adapter may ask of them is whether a click or a command answers with a modal (Discord must answer
 * those with the modal itself, within 3 seconds, instead of deferring).
 */
import type { Intent } from './commands.js';
import { GRADES, type Grade } from './spaced.js';

export type Action =
  | { kind: 'choice'; roundId: number; index: number }
  /** "Answer privately": opens the answer modal of a blind round. */
  | { kind: 'answer'; roundId: number }
  | { kind: 'self-check'; roundId: number; rating: 'knew' | 'unsure' | 'didnt' }
  /** "Show a hint" on an open question whose bank entry has one: the hint, privately. */
  | { kind: 'hint'; roundId: number }
  /** A self-check on a private practice question (no round): the buttons of earlier versions. */
  | { kind: 'practice-check'; questionId: number; rating: 'knew' | 'unsure' | 'didnt' }
  /**
   * Practice (`/dojo practice`, the daily DM): `reps` is the card's review count when the question was
   * shown, so the answer and the rating that follows it count as one review.
   */
  | { kind: 'practice-choice'; questionId: number; reps: number; index: number }
  | { kind: 'practice-reveal'; questionId: number; reps: number }
  | { kind: 'practice-answer'; questionId: number; reps: number }
  | { kind: 'practice-rate'; questionId: number; reps: number; grade: Grade }
  /** Next practice question (`fresh`: a new one even when none is due), in a topic. */
  | { kind: 'practice-next'; fresh: boolean; topic?: string }
  /** A mentor's "Review an answer" button: claims the next pending answer and opens the review modal. */
  | { kind: 'review-next' }
  | { kind: 'approve-question'; questionId: number }
  | { kind: 'reject-question'; questionId: number }
  | { kind: 'forget-confirm' }
  | { kind: 'forget-cancel' }
  | { kind: 'quiz-stop'; quizId: number };

export type ModalKind =
  | { kind: 'answer'; roundId: number }
  | { kind: 'review'; answerId: number }
  | { kind: 'add-question' }
  | { kind: 'edit-question'; questionId: number }
  | { kind: 'practice-answer'; questionId: number; reps: number };

const RATINGS = ['knew', 'unsure', 'didnt'] as const;
const topicTail = (topic?: string) => (topic ? `:${topic}` : '');

export function encodeAction(action: Action): string {
  switch (action.kind) {
    case 'choice':
      return `choice:${action.roundId}:${action.index}`;
    case 'answer':
      return `answer:${action.roundId}`;
    case 'self-check':
      return `self:${action.roundId}:${action.rating}`;
    case 'hint':
      return `hint:${action.roundId}`;
    case 'practice-check':
      return `pself:${action.questionId}:${action.rating}`;
    case 'practice-choice':
      return `pchoice:${action.questionId}:${action.reps}:${action.index}`;
    case 'practice-reveal':
      return `preveal:${action.questionId}:${action.reps}`;
    case 'practice-answer':
      return `panswer:${action.questionId}:${action.reps}`;
    case 'practice-rate':
      return `prate:${action.questionId}:${action.reps}:${action.grade}`;
    case 'practice-next':
      return `${action.fresh ? 'pnew' : 'pnext'}${topicTail(action.topic)}`;
    case 'review-next':
      return 'review:next';
    case 'approve-question':
      return `approve:${action.questionId}`;
    case 'reject-question':
      return `reject:${action.questionId}`;
    case 'forget-confirm':
      return 'forget:confirm';
    case 'forget-cancel':
      return 'forget:cancel';
    case 'quiz-stop':
      return `quiz-stop:${action.quizId}`;
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

const int = (s: string | undefined) => (s && /^\d{1,10}$/.test(s) ? Number(s) : undefined);

export function decodeAction(id: string): Action | undefined {
  const [head, a, b, c] = id.split(':');
  switch (head) {
    case 'pchoice':
    case 'preveal':
    case 'panswer':
    case 'prate': {
      const questionId = int(a);
      const reps = int(b);
      if (questionId === undefined || reps === undefined) return undefined;
      if (head === 'preveal') return { kind: 'practice-reveal', questionId, reps };
      if (head === 'panswer') return { kind: 'practice-answer', questionId, reps };
      const index = int(c);
      if (head === 'pchoice') return index !== undefined ? { kind: 'practice-choice', questionId, reps, index } : undefined;
      const grade = GRADES.find((g) => g === c);
      return grade ? { kind: 'practice-rate', questionId, reps, grade } : undefined;
    }
    case 'pnext':
    case 'pnew': {
      const topic = id.split(':').slice(1).join(':');
      return { kind: 'practice-next', fresh: head === 'pnew', ...(topic ? { topic } : {}) };
    }
    case 'choice': {
      const roundId = int(a);
      const index = int(b);
      return roundId !== undefined && index !== undefined ? { kind: 'choice', roundId, index } : undefined;
    }
    case 'answer': {
      const roundId = int(a);
      return roundId !== undefined ? { kind: 'answer', roundId } : undefined;
    }
    case 'hint': {
      const roundId = int(a);
      return roundId !== undefined ? { kind: 'hint', roundId } : undefined;
    }
    case 'self': {
      const roundId = int(a);
      const rating = RATINGS.find((r) => r === b);
      return roundId !== undefined && rating ? { kind: 'self-check', roundId, rating } : undefined;
    }
    case 'pself': {
      const questionId = int(a);
      const rating = RATINGS.find((r) => r === b);
      return questionId !== undefined && rating ? { kind: 'practice-check', questionId, rating } : undefined;
    }
    case 'review':
      return a === 'next' ? { kind: 'review-next' } : undefined;
    case 'approve':
    case 'reject': {
      const questionId = int(a);
      if (questionId === undefined) return undefined;
      return head === 'approve' ? { kind: 'approve-question', questionId } : { kind: 'reject-question', questionId };
    }
    case 'forget':
      return a === 'confirm' ? { kind: 'forget-confirm' } : a === 'cancel' ? { kind: 'forget-cancel' } : undefined;
    case 'quiz-stop': {
      const quizId = int(a);
      return quizId !== undefined ? { kind: 'quiz-stop', quizId } : undefined;
    }
    default:
      return undefined;
  }
}

export function encodeModal(modal: ModalKind): string {
  switch (modal.kind) {
    case 'answer':
      return `answer:${modal.roundId}`;
    case 'review':
      return `review:${modal.answerId}`;
    case 'add-question':
      return 'add-question';
    case 'edit-question':
      return `edit-question:${modal.questionId}`;
    case 'practice-answer':
      return `panswer:${modal.questionId}:${modal.reps}`;
    default: {
      const never: never = modal;
      throw new Error(`unknown modal ${JSON.stringify(never)}`);
    }
  }
}

export function decodeModal(id: string): ModalKind | undefined {
  const [head, a, b] = id.split(':');
  if (head === 'add-question') return { kind: 'add-question' };
  const n = int(a);
  if (n === undefined) return undefined;
  const reps = int(b);
  if (head === 'panswer') return reps !== undefined ? { kind: 'practice-answer', questionId: n, reps } : undefined;
  if (head === 'answer') return { kind: 'answer', roundId: n };
  if (head === 'review') return { kind: 'review', answerId: n };
  if (head === 'edit-question') return { kind: 'edit-question', questionId: n };
  return undefined;
}

/** Whether a click on this button answers with a modal (when all is well). */
export function actionOpensModal(actionId: string): boolean {
  const action = decodeAction(actionId);
  return action?.kind === 'answer' || action?.kind === 'review-next' || action?.kind === 'practice-answer';
}

/** Whether this `/dojo` command text answers with a modal (when all is well). */
export function commandOpensModal(text: string): boolean {
  const [sub, action] = text.trim().toLowerCase().split(/\s+/);
  return sub === 'review' || sub === 'add-question' || (sub === 'team-questions' && action === 'edit');
}

/** The same for a command already built into an intent (platforms with typed options). */
export function intentOpensModal(intent: Intent): boolean {
  return intent.cmd === 'review' || intent.cmd === 'add-question' || (intent.cmd === 'team-questions' && intent.action === 'edit');
}
