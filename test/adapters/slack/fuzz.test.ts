/**
 * Property-based fuzzing of signed Slack requests (slash commands, Events API envelopes, block actions,
 * view submissions, junk) through the real Bolt App and the real core on a real database: whatever the
 * body, the process stays up, the answer is never a 5xx while the database is up, and no stack trace
 * or error name reaches a person. A fixed seed keeps CI repeatable; FUZZ_RUNS and FUZZ_SEED explore.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, sign } from '../../fakes/slack/driver.js';
import { backend } from '../../helpers/db.js';
import { slackBodies, STACK } from './fuzz-bodies.js';
import { world, type World } from './world.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

describe(`fuzzed signed Slack requests on ${backend}`, () => {
  let w: World;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  beforeAll(async () => {
    w = await world();
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await w.close();
  });

  /** Signed like Slack signs; 0 when no answer comes within 10 s (the request died with its handler). */
  async function post(body: string, contentType: string): Promise<number> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(`${w.driver.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(SIGNING_SECRET, timestamp, body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      return res.status;
    } catch {
      return 0;
    }
  }

  it('stays up, never answers 5xx and shows nobody a stack trace', async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(slackBodies((id) => w.fake.responseUrl(id)), async ({ kind, body, contentType }) => {
        const status = await post(body, contentType);
        await w.settle();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 || status === 0) failures.push(`${status || 'no answer'} for a ${kind}: ${body.slice(0, 200)}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    const seen = [...w.fake.responses.map((r) => JSON.stringify(r.body)), ...w.fake.calls.map((c) => JSON.stringify(c.args))];
    const leaked = seen.filter((s) => STACK.test(s));
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ runs: RUNS, statuses: Object.fromEntries(statuses), fiveXx: failures.length, crashes: crashes.length, leaked: leaked.length }));
    expect(crashes.map(String)).toEqual([]);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(leaked.slice(0, 3)).toEqual([]);
  });
});
