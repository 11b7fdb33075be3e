/** The question domain: what a question is, wherever it came from (the bank files or a team). */

export const KINDS = ['open', 'choice'] as const;
export const CATEGORIES = ['technical', 'system-design', 'behavioral', 'situational'] as const;
export const DIFFICULTIES = ['beginner', 'intermediate', 'advanced'] as const;

export type QuestionKind = (typeof KINDS)[number];
export type Category = (typeof CATEGORIES)[number];
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface ChoiceOption {
  text: string;
  correct: boolean;
  /** Why this option is right or wrong; shown at the close to those who picked it. */
  why?: string;
}

export interface StarGuide {
  /** What a strong answer shows. */
  strong: string[];
  /** What a weak answer misses or gets wrong. */
  weak: string[];
}

export interface QuestionContent {
  kind: QuestionKind;
  category: Category;
  difficulty: Difficulty;
  /** The first topic is the area (the pack); the rest are finer subjects. */
  topics: string[];
  prompt: string;
  keyPoints: string[];
  referenceAnswer?: string;
  starGuide?: StarGuide;
  options?: ChoiceOption[];
  explanation?: string;
  /** Open questions: one or two questions an interviewer would ask next. */
  followUps?: string[];
  /** Open questions: a nudge a member can ask for before answering. */
  hint?: string;
  /** Standard documents by name ("RFC 9110 §8.8.3"), never copied text. */
  furtherReading?: string[];
}

/** A question of the built-in bank, as read from a pack file. */
export interface BankQuestion extends QuestionContent {
  /** Stable forever: the sync key between the files and the database. */
  id: string;
  pack: string;
}

/** Categories whose open questions are judged on a STAR answer rather than a reference answer. */
export function isStarCategory(category: Category): boolean {
  return category === 'behavioral' || category === 'situational';
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** The key under which two prompts count as the same question (case, spacing and punctuation aside). */
export function promptKey(prompt: string): string {
  return prompt.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
