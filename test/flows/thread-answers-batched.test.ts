/**
 * First answers in a thread go in batches (group commit), with a hint of the thread's round kept in each
 * process (issue 13). On real Postgres with two instances on their own pools: a burst of answers,
 * Slack's retried deliveries and second messages, sent to both at once, stores each answer once with
 * all its messages and ✅ each message once; a round one instance closed is closed for the other at the
 * very next reply; a lost database fails the delivery (so Slack retries) without taking the bot down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { cluster, TEAM, type Cluster, type Instance } from '../helpers/instances.js';
import type { InboundEvent } from '../../src/core/ports.js';

const START = new Date('2026-11-23T07:00:00Z');
const at = (iso: string) => new Date(iso);

/** A thread reply as Slack delivers it; a retry is the same event (same delivery id) again. */
const reply = (user: string, thread: string, message: string, text: string, deliveryId = `ev-${message}`): InboundEvent => ({
  type: 'message',
  team: TEAM,
  channel: { id: 'C1', name: 'c1' },
  user: { id: `U_${user}`, name: user },
  thread,
  message,
  text,
  deliveryId,
});

async function openRound(c: Cluster, a: Instance): Promise<string> {
  await c.cmd(a, 'ada', 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open', 'C1');
  c.clock.set(at('2026-11-23T08:00:00Z'));
  await a.dojo.tick();
  const card = c.platform.sent.find((s) => s.kind === 'post' && !!s.thread);
  if (!card) throw new Error('no question was posted');
  return card.ref;
}

describe.skipIf(!TEST_DATABASE_URL)('batched thread answers on postgres, two instances', () => {
  let c: Cluster | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('a burst of answers, retries and second messages to both instances at once: each answer once, with every message, each ✅ once', async () => {
    c = await cluster({ idempotent: false, start: START });
    const [a, b] = [await c.start(), await c.start()];
    const thread = await openRound(c, a);
    c.clock.set(at('2026-11-23T08:10:00Z'));
    // Each instance learns the thread on the full path first.
    await a.dojo.handle(reply('first', thread, 'm-first', 'Warm-up answer.'));
    await b.dojo.handle(reply('second', thread, 'm-second', 'Another warm-up.'));

    const people = Array.from({ length: 60 }, (_, i) => `p${i}`);
    const sends: Promise<unknown>[] = [];
    for (const [i, p] of people.entries()) {
      const [one, other] = i % 2 ? [a, b] : [b, a];
      const first = reply(p, thread, `m-${p}-1`, `First thought of ${p}.`);
      sends.push(one.dojo.handle(first));
      // Slack retries a third of the deliveries while the first is still in flight, to the other instance.
      if (i % 3 === 0) sends.push(other.dojo.handle(first));
      // A quarter send a second message right away.
      if (i % 4 === 0) sends.push(other.dojo.handle(reply(p, thread, `m-${p}-2`, `And more from ${p}.`)));
    }
    await Promise.all(sends);

    const rows = await c.t.db
      .selectFrom('answer')
      .innerJoin('member', 'member.id', 'answer.member_id')
      .select(['member.display_name as who', 'answer.id', 'answer.status', 'answer.review_status', 'answer.late'])
      .execute();
    expect(rows).toHaveLength(62);
    expect(new Set(rows.map((r) => r.who)).size).toBe(62);
    expect(rows.every((r) => r.status === 'active' && r.review_status === 'pending' && !r.late)).toBe(true);
    const parts = await c.t.db.selectFrom('answer_part').innerJoin('answer', 'answer.id', 'answer_part.answer_id').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer_part.message_ref']).execute();
    const expected = people.flatMap((p, i) => [`m-${p}-1`, ...(i % 4 === 0 ? [`m-${p}-2`] : [])]);
    expect(parts.map((p) => p.message_ref).sort()).toEqual([...expected, 'm-first', 'm-second'].sort());
    expect(parts.every((p) => p.message_ref.startsWith(`m-${p.who}-`) || p.message_ref === `m-${p.who}`)).toBe(true);
    // Both messages of a member who wrote two make one answer's text.
    const bodies = await c.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer.body']).where('member.display_name', '=', 'p0').execute();
    expect(bodies[0]!.body.split('\n\n').sort()).toEqual(['And more from p0.', 'First thought of p0.']);
    // One ✅ per message, none for a replay.
    const reacted = c.platform.reactions.map((r) => r.message).sort();
    expect(reacted).toEqual([...expected, 'm-first', 'm-second'].sort());
    // A retry after all of it changes nothing and is told it was a replay.
    expect(await a.dojo.handle(reply('p3', thread, 'm-p3-1', 'First thought of p3.'))).toEqual({ duplicate: true });
    expect(await c.t.db.selectFrom('answer').select('id').execute()).toHaveLength(62);
  });

  it('a round the other instance closed takes the next reply as late, not on time', async () => {
    c = await cluster({ idempotent: false, start: START });
    const [a, b] = [await c.start(), await c.start()];
    const thread = await openRound(c, a);
    c.clock.set(at('2026-11-23T08:10:00Z'));
    await a.dojo.handle(reply('early', thread, 'm1', 'On time.'));
    expect(await a.dojo.handle(reply('early2', thread, 'm2', 'On time too.'))).toEqual({});
    // The other instance closes it; a still knows the thread as an open round.
    c.clock.set(at('2026-11-23T09:00:00Z'));
    await b.dojo.tick();
    const late = await a.dojo.handle(reply('slow', thread, 'm3', 'After the close.'));
    expect(late.reply?.text).toMatch(/has closed, so your answer is kept as late/);
    const rows = await c.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer.late']).orderBy('answer.id').execute();
    expect(rows).toEqual([
      { who: 'early', late: false },
      { who: 'early2', late: false },
      { who: 'slow', late: true },
    ]);
    expect(c.platform.reactions.map((r) => r.message)).toEqual(['m1', 'm2']);
  });

  it('with its database gone, an answer fails (Slack retries it) and the bot stays up; the retry then counts once', async () => {
    c = await cluster({ idempotent: false, start: START });
    const [a, b] = [await c.start(), await c.start()];
    const thread = await openRound(c, a);
    c.clock.set(at('2026-11-23T08:10:00Z'));
    await a.dojo.handle(reply('first', thread, 'm1', 'Learns the thread.'));
    await a.connected.close();
    const event = reply('bob', thread, 'm2', 'Lost in the outage?');
    await expect(a.dojo.handle(event)).rejects.toMatchObject({ code: 'dojo_unavailable' });
    expect(await b.dojo.handle(event)).toEqual({});
    expect(await b.dojo.handle(event)).toEqual({ duplicate: true });
    const rows = await c.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who']).orderBy('answer.id').execute();
    expect(rows).toEqual([{ who: 'first' }, { who: 'bob' }]);
  });
});
