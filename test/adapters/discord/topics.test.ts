import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopics, suggestTopics } from '../../../adapters/discord/topics.js';
import { BUILTIN_QUESTIONS_DIR } from '../../../src/paths.js';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { member } from './harness.js';

// The server reads autocomplete's topics from the bank it synced into the database, not from the YAML.
describe(`Discord topic autocomplete from the database's bank, on ${backend}`, () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startWithCore({ adapter: { topics: undefined, questionsDir: '/nowhere' } });
  });
  afterAll(() => h?.stop());

  it('offers the same topics as the bank files', async () => {
    const bob = member('bob');
    const fromFiles = await loadTopics(BUILTIN_QUESTIONS_DIR);
    for (const typed of ['da', 'sec', 'o']) {
      const sent = h.fake.play.autocomplete(bob, ['quiz'], { topic: typed, kind: 'choice' }, 'topic');
      const choices = (await h.fake.play.callbackOf(sent)).body.data.choices;
      expect(choices.length).toBeGreaterThan(0);
      expect(choices).toEqual(suggestTopics(fromFiles, typed));
    }
  });
});
