/**
 * An answer that reaches a round while its close is in progress (the close holds the round and has not
 * committed) waits for the close and is then treated as after it, never stored active and unscored
 * behind a close that already read the answers. Real Postgres: the close runs in a transaction of its own.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { harness, HOUR, type Harness } from '../helpers/dojo.js';

describe.skipIf(!TEST_DATABASE_URL)('an answer during a close in progress, on postgres', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('waits for the close and then keeps the thread answer out of the closed round', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    await h.cmd(ada, 'schedule set days:daily time:08:00 tz:UTC kind:open categories:technical window:1h');
    await h.advance(HOUR);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    const round = await h.t.db.selectFrom('round').select('id').where('kind', '=', 'qotd').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const bob = h.user('bob');
    await h.cmd(bob, 'help');
    // A close holds the round (as the tick's claim and markRoundClosed do) and has not committed yet.
    const close = await h.t.db.startTransaction().execute();
    await close.selectFrom('round').select('id').where('id', '=', round.id).forUpdate().execute();
    await close.updateTable('round').set({ status: 'closed', closed_at: h.clock.now() }).where('id', '=', round.id).execute();
    let settled = false;
    const answered = h.reply(bob, card.ref, 'An answer sent as the question closes.').finally(() => (settled = true));
    await expect.poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(h.t.db)).rows[0]!.n, { timeout: 5000 }).toBe(1);
    expect(settled).toBe(false);
    await close.commit().execute();
    await answered;
    // Not an active answer of the closed round: late (kept, scoring nothing) or not stored at all.
    const answers = await h.t.db.selectFrom('answer').select(['late', 'status']).where('round_id', '=', round.id).execute();
    expect(answers.filter((a) => a.status === 'active' && !a.late)).toEqual([]);
  });
});
