import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import type { Block } from '../../src/core/messages.js';
import type { Outcome } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { DAY, harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

const buttonsOf = (o: Outcome) => MemoryChat.buttons({ text: '', blocks: (o.reply?.blocks ?? []) as Block[] });
const promptOf = (o: Outcome) => (o.reply?.blocks ?? []).find((b) => b.type === 'text')?.text;

describe(`personal practice on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('brings a question marked "Knew it" back on the day it promised, not before', async () => {
    h = await harness();
    const bob = h.user('bob');
    const first = await h.cmd(bob, 'practice');
    const knew = await h.click(bob, buttonsOf(first).get('Knew it')!);
    expect(knew.reply?.text).toBe('Noted: you knew it. /dojo practice brings it back in 4 days.');

    await h.advance(3 * DAY);
    const early = await h.cmd(bob, 'practice');
    expect(early.reply?.blocks?.[0]).toEqual({ type: 'header', text: 'Practice question' });
    expect(promptOf(early)).not.toBe(promptOf(first));

    await h.advance(1 * DAY);
    const due = await h.cmd(bob, 'practice');
    expect(due.reply?.blocks?.[0]).toEqual({ type: 'header', text: 'Practice: this one is due again' });
    expect(promptOf(due)).toBe(promptOf(first));
    // Knowing it again doubles the wait.
    expect((await h.click(bob, buttonsOf(due).get('Knew it')!)).reply?.text).toBe('Noted: you knew it. /dojo practice brings it back in 8 days.');
  });

  it('asks about a story, not "Knew it", on behavioral question cards', async () => {
    h = await harness();
    await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open categories:behavioral');
    await h.advance(1 * HOUR + MIN);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    const labels = [...MemoryChat.buttons(card.message).keys()];
    expect(labels).not.toContain('Knew it');
    expect(labels).toEqual(expect.arrayContaining(['Had a story ready', 'Story needs work', 'No story yet']));
    const said = await h.click(h.user('bob'), MemoryChat.buttons(card.message).get('Had a story ready')!);
    expect(said.reply?.text).toBe('Noted: you had a story ready. /dojo practice brings it back in 4 days.');
  });

  it('titles a /dojo question card so it is not mistaken for /dojo practice', async () => {
    h = await harness();
    await h.cmd(h.user('bob'), 'question security beginner');
    const card = h.chat.sent.find((s) => s.kind === 'post')!;
    expect(card.message.blocks[0]).toEqual({ type: 'header', text: 'Question for the channel' });
    expect(card.text).not.toMatch(/Practice/);
  });
});
