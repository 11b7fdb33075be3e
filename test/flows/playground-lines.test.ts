/**
 * The playground's line protocol, line by line, on the real core: who is admin, adding a team question
 * through its form, and editing or deleting a thread answer.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Playground } from '../../adapters/playground/index.js';
import { PlaygroundChat, plain } from '../../adapters/playground/chat.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo } from '../../src/core/dojo.js';
import { seededRandom } from '../../src/core/selection.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

describe(`the playground's lines on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function playground() {
    h = await harness(); // a database with the bank in it
    const out: string[] = [];
    const write = (line: string) => void out.push(line);
    const clock = new ManualClock(new Date('2026-11-23T10:00:00Z'));
    const chat = new PlaygroundChat(write, plain);
    const dojo = createDojo({ db: h.t.db, chat, clock, log: pino({ level: 'silent' }), random: seededRandom(1) });
    const pg = new Playground({ dojo, chat, clock, write, style: plain });
    /** Runs lines and returns what they printed. */
    const run = async (...lines: string[]) => {
      const mark = out.length;
      for (const line of lines) await pg.line(line);
      return out.slice(mark).join('\n');
    };
    return { run };
  }

  it('makes the person who speaks first admin, not the person :role names first', async () => {
    const { run } = await playground();
    await run(':role @carol mentor');
    expect(await run('@ada /dojo schedule set days:mon-fri time:09:00')).toMatch(/^#general Saved\./);
    expect(await run('@carol /dojo schedule off')).toMatch(/^\(only @carol\) Sorry, only admins can do that\./);
    expect(await run('@ada /dojo mentor add @bob')).not.toMatch(/Sorry/);
    expect(await run('@bob /dojo export')).toMatch(/^\(only @bob\) Sorry, only admins/);
    expect(await run('@you /dojo settings tz:Europe/Berlin')).toMatch(/^#general The team's time zone is now Europe\/Berlin/);
  });

  it('adds a team question through its form, and a mentor approves it', async () => {
    const { run } = await playground();
    await run('@ada /dojo help', ':role @carol mentor');
    expect(await run('@bob /dojo add-question')).toMatch(/\(form for @bob\) Add a team question[\s\S]*!submit prompt="…" kind=open\|[^ ]*\|choice(\|[^ ]*)? topic="…" difficulty=beginner\|intermediate\|advanced/);
    const sent = await run('@bob !submit prompt="How do we roll back a bad deploy?" kind=open topic=runbooks difficulty=beginner details="Stop the rollout\\nRoll back to the last good build\\nTell the team what happened"');
    expect(sent).toMatch(/dm @carol [\s\S]*How do we roll back a bad deploy\?[\s\S]*\[Approve\]/);
    expect(await run('@carol !click Approve')).not.toMatch(/!!/);
    const asked = await run('@ada /dojo question runbooks');
    expect(asked).toMatch(/How do we roll back a bad deploy\?/);
  });

  it('edits and deletes thread answers with !edit and !delete', async () => {
    const { run } = await playground();
    await run('@ada /dojo quiz kind:open count:1 seconds:60');
    expect(await run('@bob > An index is a list', '@bob !edit An index is a sorted copy of some columns')).toContain('-- @bob edited a reply: An index is a sorted copy of some columns --');
    expect(await run('@dan > Not sure', '@dan !delete')).toContain('-- @dan deleted a reply --');
    expect(await run('@eve !delete')).toBe('!! @eve has no thread reply to delete.');
    const answers = await h.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name', 'answer.body', 'answer.status']).orderBy('answer.id').execute();
    expect(answers).toEqual([
      { display_name: 'bob', body: 'An index is a sorted copy of some columns', status: 'active' },
      { display_name: 'dan', body: 'Not sure', status: 'withdrawn' },
    ]);
  });
});
