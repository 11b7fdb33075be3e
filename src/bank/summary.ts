import type { BankQuestion } from '../core/question-model.js';

export interface BankSummary {
  total: number;
  byTopic: Record<string, number>;
  byDifficulty: Record<string, number>;
  byKind: Record<string, number>;
  byCategory: Record<string, number>;
}

export function summarize(questions: BankQuestion[]): BankSummary {
  const count = (key: (q: BankQuestion) => string) => {
    const out: Record<string, number> = {};
    for (const q of questions) out[key(q)] = (out[key(q)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  return {
    total: questions.length,
    byTopic: count((q) => q.pack),
    byDifficulty: count((q) => q.difficulty),
    byKind: count((q) => q.kind),
    byCategory: count((q) => q.category),
  };
}

export function formatSummary(s: BankSummary): string[] {
  const line = (label: string, counts: Record<string, number>) =>
    `  ${label.padEnd(11)} ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(' · ')}`;
  return [
    `${s.total} questions`,
    line('topic', s.byTopic),
    line('difficulty', s.byDifficulty),
    line('kind', s.byKind),
    line('category', s.byCategory),
  ];
}
