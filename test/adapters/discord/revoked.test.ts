/**
 * A bot token revoked while the bot runs: Discord closes the gateway with 4004 and will not take it
 * back. The adapter logs it and reports itself not ready (/readyz), rather than pretending all is well.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingDojo, startDiscord, type Harness } from './harness.js';

describe('a Discord token revoked at run time', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('makes the adapter not ready, naming the close code', async () => {
    h = await startDiscord(new RecordingDojo());
    expect(h.adapter.problem()).toBeUndefined();
    h.fake.gateway.drop(4004);
    await expect.poll(() => h!.adapter.problem(), { timeout: 10_000 }).toBe('gateway closed for good (4004)');
  });

  it('stays ready through a close that discord.js resumes from', async () => {
    h = await startDiscord(new RecordingDojo());
    h.fake.gateway.drop(4000);
    await expect.poll(() => h!.fake.gateway.resumes, { timeout: 10_000 }).toBe(1);
    expect(h.adapter.problem()).toBeUndefined();
  });
});
