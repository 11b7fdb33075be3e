/** The messages of the core: question cards, close summaries, standings. Plain text blocks only. */
import { encodeAction } from './actions.js';
import type { Block, Button, OutMessage } from './messages.js';
import { message } from './messages.js';
import type { ChoiceOption, StarGuide } from './question-model.js';
import { promptBlocks } from './prompt.js';
import { competitionRanks } from './ranks.js';
import { formatLocal } from './time.js';

export interface QuestionView {
  id: number;
  kind: 'open' | 'choice';
  category: string;
  difficulty: string;
  topics: string[];
  prompt: string;
  keyPoints: string[];
  referenceAnswer: string | null;
  starGuide: StarGuide | null;
  options: ChoiceOption[] | null;
  explanation: string | null;
  followUps?: string[] | null;
  hint?: string | null;
  furtherReading?: string[] | null;
}

export const LETTERS = ['A', 'B', 'C', 'D', 'E'];

export interface CardContext {
  roundId: number;
  title: string;
  closesAt: Date;
  timezone: string;
  blind: boolean;
  /** Thread replies do not reach the bot here: an open question is answered with the Answer button's form. */
  answerForm: boolean;
  /** Offer the knew it / unsure / didn't know self-check. */
  selfCheck: boolean;
}

export function questionCard(q: QuestionView, c: CardContext): OutMessage {
  const blocks: Block[] = [
    { type: 'header', text: c.title },
    ...promptBlocks(q.prompt),
    {
      type: 'fields',
      fields: [
        { label: 'Difficulty', value: q.difficulty },
        { label: 'Topic', value: q.topics.join(', ') },
        { label: 'Closes', value: formatLocal(c.closesAt, c.timezone) },
      ],
    },
  ];
  if (q.kind === 'choice' && q.options) {
    blocks.push({ type: 'list', items: q.options.map((o, i) => `${LETTERS[i]}. ${o.text}`) });
    blocks.push({ type: 'buttons', buttons: q.options.map((_, i) => ({ id: encodeAction({ kind: 'choice', roundId: c.roundId, index: i }), label: LETTERS[i]! })) });
    blocks.push({ type: 'context', text: 'Pick an answer; you can change it until the question closes. Faster correct answers score more.' });
  } else if (c.blind) {
    blocks.push({ type: 'buttons', buttons: [{ id: encodeAction({ kind: 'answer', roundId: c.roundId }), label: 'Answer privately', style: 'primary' }] });
    blocks.push({ type: 'context', text: 'Answers stay hidden until the question closes.' });
  } else if (c.answerForm) {
    blocks.push({ type: 'buttons', buttons: [{ id: encodeAction({ kind: 'answer', roundId: c.roundId }), label: 'Answer', style: 'primary' }] });
    blocks.push({ type: 'context', text: 'Press Answer to write yours; you can change it until the question closes. Everyone’s answers are shown then.' });
  } else {
    blocks.push({ type: 'context', text: 'Reply in this thread to answer. More replies add to your answer; edits count until it closes.' });
  }
  if (q.kind === 'open' && q.hint) {
    blocks.push({ type: 'buttons', buttons: [{ id: encodeAction({ kind: 'hint', roundId: c.roundId }), label: 'Show a hint' }] });
  }
  if (c.selfCheck) blocks.push({ type: 'buttons', buttons: selfCheckButtons(q.category, (rating) => encodeAction({ kind: 'self-check', roundId: c.roundId, rating })) });
  return message(blocks);
}

type Rating = 'knew' | 'unsure' | 'didnt';

/**
 * The self-check buttons. A behavioral or situational question has no answer to know, only a story to
 * have ready, so those cards ask about the story instead of offering "Knew it".
 */
export function selfCheckButtons(category: string, id: (rating: Rating) => string): Button[] {
  const story = category === 'behavioral' || category === 'situational';
  const labels: Record<Rating, string> = story ? { knew: 'Had a story ready', unsure: 'Story needs work', didnt: 'No story yet' } : { knew: 'Knew it', unsure: 'Unsure', didnt: "Didn't know" };
  return (['knew', 'unsure', 'didnt'] as const).map((rating) => ({ id: id(rating), label: labels[rating] }));
}

/** What to learn from a question: key points and the reference answer or STAR guide. */
export function lessonBlocks(q: QuestionView): Block[] {
  const blocks: Block[] = [];
  if (q.kind === 'choice' && q.options) {
    const i = q.options.findIndex((o) => o.correct);
    blocks.push({ type: 'text', text: `Answer: ${LETTERS[i]}. ${q.options[i]?.text ?? ''}` });
    if (q.explanation) blocks.push({ type: 'context', text: q.explanation });
  }
  if (q.keyPoints.length) {
    blocks.push({ type: 'text', text: 'Key points' }, { type: 'list', items: q.keyPoints });
  }
  if (q.referenceAnswer) blocks.push({ type: 'text', text: 'A good answer' }, { type: 'quote', text: q.referenceAnswer });
  if (q.starGuide) {
    blocks.push({ type: 'text', text: 'A strong answer shows' }, { type: 'list', items: q.starGuide.strong });
    blocks.push({ type: 'text', text: 'A weak answer' }, { type: 'list', items: q.starGuide.weak });
  }
  if (q.followUps?.length) blocks.push({ type: 'text', text: 'An interviewer might ask next' }, { type: 'list', items: q.followUps });
  if (q.furtherReading?.length) blocks.push({ type: 'context', text: `Further reading: ${q.furtherReading.join('; ')}` });
  return blocks;
}

export function distributionTable(q: QuestionView, counts: number[]): Block {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return {
    type: 'table',
    columns: ['Option', 'Answers', ''],
    rows: (q.options ?? []).map((o, i) => [
      `${LETTERS[i]}${o.correct ? ' ✓' : ''}`,
      String(counts[i] ?? 0),
      '█'.repeat(Math.round(((counts[i] ?? 0) / total) * 10)),
    ]),
  };
}

/** Why the wrong options people picked are wrong, so a miss teaches something; nothing when none was picked. */
export function wrongPickBlocks(q: QuestionView, counts: number[]): Block[] {
  const items = (q.options ?? []).flatMap((o, i) =>
    !o.correct && o.why && (counts[i] ?? 0) > 0 ? [`${LETTERS[i]}. ${o.text}: ${o.why}`] : [],
  );
  return items.length ? [{ type: 'text', text: items.length === 1 ? 'Why the picked wrong answer is wrong' : 'Why the picked wrong answers are wrong' }, { type: 'list', items }] : [];
}

export function standingsTable(rows: { name: string; points: number; extra?: string }[], extraColumn?: string): Block {
  return {
    type: 'table',
    columns: ['#', 'Member', 'Points', ...(extraColumn ? [extraColumn] : [])],
    rows: rows.map((r, i) => [String(competitionRanks(rows.map((x) => x.points))[i]), r.name, String(r.points), ...(extraColumn ? [r.extra ?? ''] : [])]),
  };
}

export function names(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
