/**
 * The pack file format (questions/README.md) as a zod schema. Unknown fields are errors, so a typo like
 * `key_point` is reported instead of silently dropping the key points.
 */
import { z } from 'zod';
import { CATEGORIES, DIFFICULTIES, KINDS, isStarCategory, wordCount, type Category } from '../core/question-model.js';

export const MAX_REFERENCE_WORDS = 120;
export const MAX_OPTION_CHARS = 80;
/** Bank options may run longer than a team's: distractors as specific as the key need the room. */
export const MAX_BANK_OPTION_CHARS = 100;

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase kebab-case (letters, digits, dashes)');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const list = (min: number, max: number, item: z.ZodType<string>) =>
  z.array(item).min(min, `needs ${min} to ${max} items`).max(max, `needs ${min} to ${max} items`);

export const MAX_PROMPT_CHARS = 1200;

const option = z.strictObject({
  text: text(MAX_BANK_OPTION_CHARS),
  correct: z.boolean().optional(),
  /** Why this option is right or wrong, shown at the close to whoever picked it. */
  why: text(240).optional(),
});

export const packQuestionShape = z.strictObject({
  id: slug.max(80, 'must be at most 80 characters'),
  kind: z.enum(KINDS, { message: `must be one of ${KINDS.join(', ')}` }),
  category: z.enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` }),
  difficulty: z.enum(DIFFICULTIES, { message: `must be one of ${DIFFICULTIES.join(', ')}` }),
  topics: z.array(slug).min(1, 'needs at least one topic').max(6, 'has more than 6 topics'),
  prompt: text(MAX_PROMPT_CHARS),
  key_points: list(3, 6, text(200)).optional(),
  reference_answer: text(1200).optional(),
  star_guide: z.strictObject({ strong: list(2, 5, text(200)), weak: list(2, 5, text(200)) }).optional(),
  options: z.array(option).min(3, 'needs 3 to 5 options').max(5, 'needs 3 to 5 options').optional(),
  explanation: text(300).optional(),
  follow_ups: list(1, 2, text(240)).optional(),
  hint: text(240).optional(),
  further_reading: list(1, 3, text(120)).optional(),
});

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The rules between fields (which fields each kind and category needs). They run on the raw question
 * even when its shape is wrong, so one mistake never hides another.
 */
export function questionRules(raw: unknown): RuleIssue[] {
  if (raw === null || typeof raw !== 'object') return [];
  const q = raw as Record<string, unknown>;
  const issues: RuleIssue[] = [];
  const need = (field: string, message: string) => issues.push({ path: [field], message });
  const category = (CATEGORIES as readonly unknown[]).includes(q.category) ? (q.category as Category) : undefined;
  if (q.kind === 'open') {
    if (q.key_points === undefined) need('key_points', 'is required for open questions (3 to 6 points a mentor can tick)');
    if (q.options !== undefined) need('options', 'is only for choice questions');
    if (q.explanation !== undefined) need('explanation', 'is only for choice questions');
    if (category && isStarCategory(category)) {
      if (q.star_guide === undefined) need('star_guide', `is required for ${category} open questions`);
    } else if (category && q.reference_answer === undefined) {
      need('reference_answer', `is required for ${category} open questions`);
    }
  } else if (q.kind === 'choice') {
    if (q.options === undefined) need('options', 'is required for choice questions (3 to 5 options)');
    else if (Array.isArray(q.options) && q.options.filter((o) => (o as { correct?: unknown })?.correct === true).length !== 1) {
      need('options', 'must have exactly one option with correct: true');
    }
    if (q.explanation === undefined) need('explanation', 'is required for choice questions (one line on why the answer is right)');
    if (q.follow_ups !== undefined) need('follow_ups', 'is only for open questions');
    if (q.hint !== undefined) need('hint', 'is only for open questions');
  }
  if (typeof q.reference_answer === 'string' && wordCount(q.reference_answer) > MAX_REFERENCE_WORDS) {
    need('reference_answer', `must be at most ${MAX_REFERENCE_WORDS} words (has ${wordCount(q.reference_answer)})`);
  }
  return issues;
}

/**
 * Rules for the built-in bank only (a team's proposed questions are lighter): every choice option says
 * why it is right or wrong, since the close shows that to whoever picked it.
 */
export function bankOnlyRules(raw: unknown): RuleIssue[] {
  if (raw === null || typeof raw !== 'object') return [];
  const q = raw as Record<string, unknown>;
  if (q.kind !== 'choice' || !Array.isArray(q.options)) return [];
  return q.options.flatMap((o, i) =>
    typeof (o as { why?: unknown })?.why === 'string' ? [] : [{ path: ['options', i, 'why'], message: 'is required: say why this option is right or wrong' }],
  );
}

export const packSchema = z.strictObject({
  pack: slug,
  title: text(80),
  questions: z.array(z.unknown()).min(1, 'needs at least one question'),
});

export type PackQuestion = z.output<typeof packQuestionShape>;
