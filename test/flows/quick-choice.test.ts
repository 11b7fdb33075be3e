/**
 * A choice click of a member the dojo knows is one statement (src/core/quick-choice.ts): the same
 * answers and the same counting as the full path, a replayed or concurrent delivery counted once, and
 * whatever changed since the member was cached (an admin's change, the round closing) still seen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { backend } from '../helpers/db.js';
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
