/**
 * The answer in the ack waits only while the bot keeps up (adapters/slack/listeners.ts): a command's
 * answer goes in its ack when it is ready within the budget; while the event loop runs late (more work
 * than the CPU gets through) the ack goes out at once, empty, and the same answer follows through the
 * response_url, so a saturated bot never holds acks open for a budget. The lateness is driven here (the
 * adapter's `loopLag`); src/loop-lag.ts, which measures it, has its own test (test/unit/loop-lag.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { world, type World } from './world.js';

describe(`the Slack ack and a late event loop on ${backend}`, () => {
  let w: World;
  let lag = 0;
  beforeAll(async () => {
    // A budget no loaded machine misses, so only the lateness decides.
    w = await world({ adapter: { answerBudgetMs: 5_000, laggingMs: 50, loopLag: () => lag } });
  });
  afterAll(async () => w.close());

  const vias = (responseId: string) => w.fake.responses.filter((r) => r.id === responseId).map((r) => r.via ?? 'response_url');

  it('answers in the ack while the loop keeps up', async () => {
    lag = 10;
    const calm = await w.driver.command('leaderboard');
    await w.settle();
    expect(JSON.parse(calm.text)).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/Leaderboard/) });
    expect(vias(calm.responseId)).toEqual(['ack']);
  });

  it('acks at once, empty, while the loop runs late, and the same answer follows through the response_url', async () => {
    lag = 200;
    const late = await w.driver.command('leaderboard');
    expect(late.status).toBe(200);
    expect(late.text).toBe('');
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === late.responseId)?.body).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/Leaderboard/) });
    expect(vias(late.responseId)).toEqual(['response_url']);
  });
});
