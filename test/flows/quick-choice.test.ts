/**
 * A choice click of a member the dojo knows is one statement (src/core/quick-choice.ts): the same
 * answers and the same counting as the full path, a replayed or concurrent delivery counted once, and
 * whatever changed since the member was cached (an admin's change, the round closing) still seen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { sql } from 'kysely';
import { backend, TEST_DATABASE_URL } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

const S = 1000;

/** Starts a one-question choice quiz; returns the card's buttons by letter. */
async function card(h: Harness, seconds = 60): Promise<Map<string, string>> {
  await h.cmd(h.user('ada', { isPlatformAdmin: true }), `quiz kind:choice count:1 seconds:${seconds}`);
  const sent = [...h.chat.sent].reverse().find((s) => MemoryChat.buttons(s.message).has('A'))!;
  return MemoryChat.buttons(sent.message);
}

const answers = (h: Harness) => h.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer.choice_index']).orderBy('answer.id').execute();

describe(`a known member's choice click on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('counts the same click delivered many times at once once, and answers the rest as replays', async () => {
    h = await harness();
    const buttons = await card(h);
    const bob = h.user('bob');
    await h.cmd(bob, 'help'); // bob is known (cached) from here
    const outs = await Promise.all(Array.from({ length: 8 }, () => h.click(bob, buttons.get('B')!, 'C1', 'btn-same')));
    expect(outs.filter((o) => o.reply?.text === 'Got it: B. You can change it until the question closes.')).toHaveLength(1);
    expect(outs.filter((o) => o.reply)).toHaveLength(1);
    expect(await answers(h)).toEqual([{ who: 'bob', choice_index: 1 }]);
    expect((await h.click(bob, buttons.get('C')!)).reply?.text).toBe('Changed to C.');
    expect((await h.click(bob, buttons.get('C')!)).reply?.text).toBe('You already picked C.');
    expect(await answers(h)).toEqual([{ who: 'bob', choice_index: 2 }]);
  });

  it('still refuses a click after the close and an option the question does not have', async () => {
    h = await harness();
    const buttons = await card(h, 20);
    const bob = h.user('bob');
    expect((await h.click(bob, buttons.get('A')!)).reply?.text).toMatch(/^Got it: A/);
    const roundId = buttons.get('A')!.split(':')[1];
    expect((await h.click(bob, `choice:${roundId}:9`)).reply?.text).toBe('That is not one of the options.');
    await h.advance(21 * S);
    expect((await h.click(bob, buttons.get('B')!)).reply?.text).toBe('This question has closed; the answer is in the thread.');
    expect(await answers(h)).toEqual([{ who: 'bob', choice_index: 0 }]);
  });

  it('takes a click right after an admin changed the team (its version) like any other', async () => {
    h = await harness();
    const buttons = await card(h);
    const ada = h.user('ada', { isPlatformAdmin: true });
    const bob = h.user('bob');
    expect((await h.click(bob, buttons.get('A')!)).reply?.text).toMatch(/^Got it: A/);
    await h.cmd(ada, 'mentor add <@U_bob>');
    expect(await h.t.db.selectFrom('member').select('role').where('platform_user_id', '=', 'U_bob').executeTakeFirst()).toEqual({ role: 'mentor' });
    expect((await h.click(bob, buttons.get('D')!)).reply?.text).toBe('Changed to D.');
    expect(await answers(h)).toEqual([{ who: 'bob', choice_index: 3 }]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a choice click while the round is being closed, on postgres', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  // Both paths: a member whose rows are cached (one statement) and one met for the first time (the unit of work).
  for (const known of [true, false]) {
    it(`waits for a close in progress and then refuses the pick, instead of adding it behind the close (${known ? 'known member' : 'first click'})`, async () => {
      h = await harness();
      const buttons = await card(h);
      const bob = h.user('bob');
      if (known) await h.cmd(bob, 'help');
      const roundId = Number(buttons.get('A')!.split(':')[1]);
      // A close holds the round (as the tick's claim and markRoundClosed do) and has not committed yet.
      const close = await h.t.db.startTransaction().execute();
      await close.selectFrom('round').select('id').where('id', '=', roundId).forUpdate().execute();
      await close.updateTable('round').set({ status: 'closed', closed_at: h.clock.now() }).where('id', '=', roundId).execute();
      let settled = false;
      const click = h.click(bob, buttons.get('B')!).finally(() => (settled = true));
      // The click waits on the round's lock (its statement shows in pg_stat_activity as waiting on a lock).
      await expect.poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(h.t.db)).rows[0]!.n, { timeout: 5000 }).toBe(1);
      expect(settled).toBe(false);
      await close.commit().execute();
      expect((await click).reply?.text).toBe('This question has closed; the answer is in the thread.');
      expect(await answers(h)).toEqual([]);
    });
  }
});
