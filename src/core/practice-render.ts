/** The messages of practice: the question (answer first), the key points with the rating, the notes. */
import { encodeAction } from './actions.js';
import type { Block, Button } from './messages.js';
import { promptBlocks } from './prompt.js';
import { LETTERS, lessonBlocks, type QuestionView } from './render.js';
import { GRADES, previewDue, waitText, type Grade, type StoredCard } from './spaced.js';

const LABEL: Record<Grade, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

/** The review count a practice question is shown at: its answer and rating are one review. */
export const repsOf = (card?: StoredCard) => card?.reps ?? 0;
export const practiceSource = (reps: number) => `practice:${reps}`;

export const nextButton = (topic?: string, fresh = false, label = 'Next question'): Button => ({ id: encodeAction({ kind: 'practice-next', fresh, ...(topic ? { topic } : {}) }), label });

/** The question, to answer before anything is revealed: choices as buttons, open ones by form or by thinking it through. */
export function practiceQuestionBlocks(q: QuestionView, o: { card?: StoredCard; due: boolean; header?: string; note?: string }): Block[] {
  const reps = repsOf(o.card);
  const blocks: Block[] = [
    { type: 'header', text: o.header ?? (o.due ? 'Practice: this one is due again' : 'Practice question') },
    ...(o.note ? [{ type: 'context' as const, text: o.note }] : []),
    ...promptBlocks(q.prompt),
    { type: 'fields', fields: [{ label: 'Topic', value: q.topics.join(', ') }, { label: 'Difficulty', value: q.difficulty }] },
  ];
  if (q.kind === 'choice' && q.options) {
    blocks.push({ type: 'list', items: q.options.map((opt, i) => `${LETTERS[i]}. ${opt.text}`) });
    blocks.push({ type: 'buttons', buttons: q.options.map((_, index) => ({ id: encodeAction({ kind: 'practice-choice', questionId: q.id, reps, index }), label: LETTERS[index]! })) });
    blocks.push({ type: 'context', text: 'Pick your answer; the explanation follows.' });
  } else {
    blocks.push({
      type: 'buttons',
      buttons: [
        { id: encodeAction({ kind: 'practice-answer', questionId: q.id, reps }), label: 'Write my answer', style: 'primary' },
        { id: encodeAction({ kind: 'practice-reveal', questionId: q.id, reps }), label: 'Show key points' },
      ],
    });
    blocks.push({ type: 'context', text: 'Answer it first, out loud or in writing, then compare with the key points and rate yourself.' });
  }
  return blocks;
}

/** Again / Hard / Good / Easy, with when each brings the question back. */
export function ratingBlocks(q: QuestionView, card: StoredCard | undefined, reps: number, now: Date, grades: readonly Grade[] = GRADES, prompt = 'How well did you know it?'): Block[] {
  const due = previewDue(card, now, practiceSource(reps));
  return [
    { type: 'text', text: prompt },
    { type: 'buttons', buttons: grades.map((grade) => ({ id: encodeAction({ kind: 'practice-rate', questionId: q.id, reps, grade }), label: LABEL[grade] })) },
    { type: 'context', text: grades.map((g) => `${LABEL[g]}: back in ${waitText(now, due[g])}`).join(' · ') },
  ];
}

/** The key points after an open answer (the member's own words first, when written), then the rating. */
export function revealBlocks(q: QuestionView, card: StoredCard | undefined, reps: number, now: Date, answer?: string): Block[] {
  return [
    { type: 'header', text: 'Compare your answer' },
    ...(answer ? [{ type: 'quote' as const, text: answer, author: 'Your answer' }] : []),
    ...lessonBlocks(q),
    ...ratingBlocks(q, card, reps, now),
  ];
}

/** After a choice: right or not, the lesson, and (when right) how it felt; a miss is "again" already. */
export function choiceResultBlocks(q: QuestionView, index: number, card: StoredCard | undefined, reps: number, now: Date, due: Date): Block[] {
  const right = q.options?.[index]?.correct === true;
  const picked = q.options?.[index];
  const blocks: Block[] = [{ type: 'header', text: right ? `Right: ${LETTERS[index]}` : `Not quite: you picked ${LETTERS[index]}` }, ...lessonBlocks(q)];
  if (!right && picked?.why) blocks.push({ type: 'context', text: `${LETTERS[index]}. ${picked.why}` });
  if (right) blocks.push(...ratingBlocks(q, card, reps, now, ['hard', 'good', 'easy'], `It comes back in ${waitText(now, due)}. Was it hard, or easy?`));
  else blocks.push({ type: 'text', text: `It comes back in ${waitText(now, due)} for another try.` }, { type: 'buttons', buttons: [nextButton()] });
  return blocks;
}
