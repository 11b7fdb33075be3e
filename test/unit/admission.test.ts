/**
 * Bounded admission (src/admission.ts): ordinary work past the bounds is shed, and shed again when it
 * waited too long; a delivery the platform will not send again (lastChance) waits in a queue of its own,
 * goes first when a slot frees, and is never shed for waiting.
 */
import { describe, expect, it } from 'vitest';
import { Admission, Busy } from '../../src/admission.js';

/** Work that runs until the test lets it finish, and says when it started. */
function held() {
  let finish!: () => void;
  let started = false;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: async () => ((started = true), await done), finish, started: () => started };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('admission', () => {
  it('sheds ordinary work past its bounds, and ordinary work that waited too long', async () => {
    let clock = 0;
    const a = new Admission({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 5_000 }, () => clock);
    const first = held();
    const running = a.run(first.work);
    const queued = expect(a.run(async () => 'late')).rejects.toBeInstanceOf(Busy);
    await expect(a.run(async () => 'third')).rejects.toBeInstanceOf(Busy);
    expect(a.full()).toBe(true);
    clock = 6_000;
    first.finish();
    await running;
    await queued;
    expect(a.stats).toEqual({ admitted: 1, rejected: 1, expired: 1 });
  });

  it("takes the platform's last try even when the ordinary queue is full, and runs it first", async () => {
    let clock = 0;
    const a = new Admission({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 5_000 }, () => clock);
    const order: string[] = [];
    const first = held();
    const running = a.run(first.work);
    const ordinary = expect(a.run(async () => order.push('ordinary'))).rejects.toBeInstanceOf(Busy);
    await expect(a.run(async () => 'shed')).rejects.toBeInstanceOf(Busy);
    const last = a.run(async () => order.push('last'), { lastChance: true });
    expect(a.queued).toBe(2);
    // Waiting past maxWaitMs does not shed it.
    clock = 60_000;
    first.finish();
    await running;
    await last;
    await settle();
    await ordinary;
    expect(order).toEqual(['last']);
    expect(a.queued).toBe(0);
    expect(a.inFlight).toBe(0);
  });

  it('runs last tries in the order they came, and bounds their queue too', async () => {
    const a = new Admission({ maxInFlight: 1, maxQueued: 2, maxWaitMs: 5_000 });
    const order: number[] = [];
    const first = held();
    const running = a.run(first.work);
    const lasts = [1, 2].map((n) => a.run(async () => order.push(n), { lastChance: true }));
    await expect(a.run(async () => 3, { lastChance: true })).rejects.toBeInstanceOf(Busy);
    // The ordinary queue is still open: the last tries take no room from it.
    const ordinary = a.run(async () => order.push(4));
    first.finish();
    await Promise.all([running, ...lasts, ordinary]);
    expect(order).toEqual([1, 2, 4]);
  });

  it('runs a last try at once when a slot is free', async () => {
    const a = new Admission({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 5_000 });
    await expect(a.run(async () => 'now', { lastChance: true })).resolves.toBe('now');
    expect(a.stats.admitted).toBe(1);
  });
});
