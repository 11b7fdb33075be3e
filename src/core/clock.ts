/** A clock that only moves when told: tests and the playground's `:advance`. */
import type { Clock } from './ports.js';

export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date): void {
    if (at.getTime() > this.t) this.t = at.getTime();
  }
}

interface Ticking {
  tick(): Promise<unknown>;
  nextDueAt(): Promise<Date | undefined>;
}

/**
 * Moves a manual clock forward by `ms`, stopping at every moment work falls due on the way and running
 * the tick there, as the real once-a-few-seconds tick would have. Nothing sleeps.
 */
export async function advanceClock(dojo: Ticking, clock: ManualClock, ms: number): Promise<void> {
  const target = clock.now().getTime() + ms;
  let last = -Infinity;
  for (;;) {
    const due = await dojo.nextDueAt();
    // Work that stays due after a tick at its time would spin here forever: move past it instead.
    if (!due || due.getTime() > target || due.getTime() <= last) break;
    last = Math.max(due.getTime(), clock.now().getTime());
    clock.set(due);
    await dojo.tick();
  }
  clock.set(new Date(target));
  await dojo.tick();
}
