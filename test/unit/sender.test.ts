/**
 * The outbox's paced sender (issue 13): parallel across channels up to its limit, one at a time and in
 * order within a channel at the channel's pace, and a bot-wide budget. A fake clock drives the pacing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sender, type Pacing } from '../../src/core/sender.js';

describe('paced sender', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  /** A task that records its start and finishes when released. */
  function harness(sender: Sender) {
    const started: { id: string; at: number }[] = [];
    const release = new Map<string, () => void>();
    const add = (id: string, channel: string, pacing: Pacing, bot = 'slack') =>
      sender.enqueue({
        channel,
        bot,
        pacing,
        run: () =>
          new Promise<void>((resolve) => {
            started.push({ id, at: Date.now() });
            release.set(id, resolve);
          }),
      });
    const finish = async (...ids: string[]) => {
      for (const id of ids) release.get(id)!();
      await vi.advanceTimersByTimeAsync(0);
    };
    return { started, add, finish };
  }

  it('runs different channels at once, up to its limit', async () => {
    const sender = new Sender(3, () => Date.now());
    const h = harness(sender);
    for (let i = 0; i < 5; i++) h.add(`p${i}`, `C${i}`, { perChannel: 1 });
    expect(h.started.map((s) => s.id)).toEqual(['p0', 'p1', 'p2']);
    await h.finish('p1');
    expect(h.started.map((s) => s.id)).toEqual(['p0', 'p1', 'p2', 'p3']);
    await h.finish('p0', 'p2', 'p3');
    await h.finish('p4');
    await sender.idle();
  });

  it('keeps one channel in order and at its pace', async () => {
    const t0 = Date.now();
    const sender = new Sender(10, () => Date.now());
    const h = harness(sender);
    h.add('a1', 'C1', { perChannel: 1 });
    h.add('a2', 'C1', { perChannel: 1 });
    h.add('b1', 'C2', { perChannel: 1 });
    expect(h.started.map((s) => s.id)).toEqual(['a1', 'b1']);
    await h.finish('a1', 'b1');
    // Done at once, but the channel's next post waits for its second.
    expect(h.started.map((s) => s.id)).toEqual(['a1', 'b1']);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.started).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.started.map((s) => s.id)).toEqual(['a1', 'b1', 'a2']);
    expect(h.started[2]!.at - t0).toBe(1000);
    await h.finish('a2');
    await sender.idle();
  });

  it('holds a bot to its budget per second while other bots go on', async () => {
    const sender = new Sender(100, () => Date.now());
    const h = harness(sender);
    for (let i = 0; i < 5; i++) h.add(`d${i}`, `D${i}`, { perChannel: 1, perBot: 2 }, 'discord');
    h.add('s0', 'S0', { perChannel: 1 }, 'slack');
    expect(h.started.map((s) => s.id).sort()).toEqual(['d0', 'd1', 's0']);
    await vi.advanceTimersByTimeAsync(500);
    expect(h.started.map((s) => s.id)).toContain('d2');
    expect(h.started).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.started).toHaveLength(6);
    await h.finish(...h.started.map((s) => s.id));
    await sender.idle();
  });
});
