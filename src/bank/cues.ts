/**
 * Guessing cues: how well someone who knows nothing scores on the choice questions by looking only at
 * the options' shape. By chance a 4-option key is the longest in about a quarter of questions; a bank
 * written with care keeps every simple strategy close to that.
 */
import type { ChoiceOption } from '../core/question-model.js';

export interface CueFigures {
  choice: number;
  /** Share of questions where no option is longer than the key. */
  keyLongest: number;
  /** Share where at most one option is longer than the key. */
  keyTwoLongest: number;
  /** Scores of the strategies: the share of questions they get right. */
  pickLongest: number;
  pickSecondLongest: number;
  avoidAbsolutes: number;
  /** Guards against overcorrecting: a bank whose keys are short is as guessable as one whose keys are long. */
  pickShortest: number;
}

const ABSOLUTE = /\b(always|never|only)\b/i;

/** Option indexes by length, longest first; equal lengths keep their order. */
function byLength(options: ChoiceOption[]): number[] {
  return options.map((_, i) => i).sort((a, b) => options[b]!.text.length - options[a]!.text.length || a - b);
}

/** Skip options with always/never/only and take the longest of the rest (of all, if none is left). */
function avoidAbsolutesPick(options: ChoiceOption[]): number {
  const order = byLength(options);
  return order.find((i) => !ABSOLUTE.test(options[i]!.text)) ?? order[0]!;
}

export function cueFigures(questions: { options?: ChoiceOption[] | undefined }[]): CueFigures {
  const choice = questions.filter((q) => q.options && q.options.length > 0).map((q) => q.options!);
  let longest = 0;
  let twoLongest = 0;
  let first = 0;
  let second = 0;
  let avoid = 0;
  let last = 0;
  for (const options of choice) {
    const key = options.findIndex((o) => o.correct);
    const keyLength = options[key]!.text.length;
    // Ties count against the bank: the key is "longest" when no option is longer.
    const longer = options.filter((o) => o.text.length > keyLength).length;
    if (longer === 0) longest++;
    if (longer <= 1) twoLongest++;
    const order = byLength(options);
    if (order[0] === key) first++;
    if (order[1] === key) second++;
    if (avoidAbsolutesPick(options) === key) avoid++;
    if (order[order.length - 1] === key) last++;
  }
  const share = (n: number) => (choice.length ? n / choice.length : 0);
  return {
    choice: choice.length,
    keyLongest: share(longest),
    keyTwoLongest: share(twoLongest),
    pickLongest: share(first),
    pickSecondLongest: share(second),
    avoidAbsolutes: share(avoid),
    pickShortest: share(last),
  };
}
