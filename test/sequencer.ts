/**
 * The order test files start in. On a clean checkout vitest knows no durations yet and starts large
 * files first, which left the slowest ones (those that start the real `dojo` process several times) for
 * the end, where one of two workers ran them alone. Known slow files go first; the rest as vitest orders.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOW_FIRST = [
  'test/cli/cli.test.ts',
  'test/adapters/start-credentials.test.ts',
  'test/flows/scheduler.test.ts',
  'test/flows/practice.test.ts',
  'test/db/pglite-thread.test.ts',
  'test/flows/playground.test.ts',
  'test/adapters/slack/start.test.ts',
  'test/db/board-rollup.test.ts',
  'test/cli/slack-reencrypt.test.ts',
  'test/adapters/slack/server-lifecycle.test.ts',
  'test/flows/guarantees.test.ts',
];

const rank = (spec: TestSpecification) => {
  const at = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
  return at < 0 ? SLOW_FIRST.length : at;
};

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: files not in the list keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
