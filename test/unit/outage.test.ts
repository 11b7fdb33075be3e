import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo } from '../../src/core/dojo.js';
import { DojoUnavailable } from '../../src/core/ports.js';
import { connect } from '../../src/db/index.js';
import { startScheduler } from '../../src/scheduler/index.js';

describe('a database outage', async () => {
  // Nothing listens on port 1: every query fails the way an unreachable server does.
  const dead = await connect({ url: 'postgres://postgres@127.0.0.1:1/nothing' });
  afterAll(async () => dead.close());
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  const dojo = createDojo({ db: dead.db, chat: new MemoryChat(), clock: new ManualClock(new Date()), log });

  it('turns a handled event into a friendly DojoUnavailable, not a crash', async () => {
    const event = { type: 'command' as const, text: 'help', team: { platform: 'memory' as const, id: 'T' }, channel: { id: 'C' }, user: { id: 'U', name: 'u' } };
    const error = await dojo.handle(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DojoUnavailable);
    expect((error as DojoUnavailable).userMessage).toBe('I can’t reach my database right now. Please try again in a minute.');
  });

  it('keeps the scheduler alive: a failed tick is logged and the next one runs', async () => {
    const scheduler = startScheduler(dojo, log, undefined, '0 0 1 1 *');
    await expect(scheduler.runOnce()).resolves.toBeUndefined();
    await expect(scheduler.runOnce()).resolves.toBeUndefined();
    await scheduler.stop();
    expect(lines.filter((l) => l.includes('"msg":"tick failed"'))).toHaveLength(2);
  });
});
