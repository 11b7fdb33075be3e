/**
 * /dojo stats through the real discord.js client: the words are the interaction's answer at once,
 * whatever the chart is doing; the chart follows as a private follow-up with its attachment; past the
 * drawing's bound it is skipped and the words say so; a chart that cannot be drawn is owned up to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsHeight, STATS_SIZE } from '../../../src/charts/index.js';
import { backend } from '../../helpers/db.js';
import { HeldDrawing } from '../../helpers/drawing.js';
import { isPng, pngSize } from '../../helpers/png.js';
import type { RecordedCall } from '../../fakes/discord/index.js';
import type { Sent } from '../../fakes/discord/interactions.js';
import { CALLBACK } from '../../fakes/discord/interactions.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { member, shown } from './harness.js';

describe(`the stats chart follows the words on Discord, ${backend}`, () => {
  let h: CoreHarness;
  // One chart drawn at a time and none waiting, held until the test lets it go.
  const drawing = new HeldDrawing({ concurrency: 1, waiting: 0 });
  const bob = member('bob');
  const cy = member('cy');
  beforeAll(async () => {
    h = await startWithCore({ drawing });
  });
  afterAll(async () => h?.stop());

  const followUps = (sent: Sent): RecordedCall[] => h.fake.rest.calls.filter((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${sent.token}`);

  it('answers with the words while the chart is still drawing, then follows with the chart', async () => {
    const sent = h.fake.play.slash(bob, ['stats']);
    const callback = await h.fake.play.callbackOf(sent);
    // The words in the callback itself, private, with no attachment and no deferral.
    expect(callback.body.type).toBe(CALLBACK.reply);
    expect(callback.body.data.flags).toBe(64);
    expect(shown(callback.body.data)).toMatch(/^Stats for bob/);
    expect(shown(callback.body.data)).toMatch(/Your chart follows in a moment\./);
    expect(callback.files ?? []).toEqual([]);
    expect(drawing.reached).toBe(1);
    expect(followUps(sent)).toEqual([]);

    // The slot is drawing and nobody may wait: cy's chart is skipped, and the words say so.
    const other = h.fake.play.slash(cy, ['stats']);
    const skipped = await h.fake.play.callbackOf(other);
    expect(shown(skipped.body.data)).toMatch(/^Stats for cy/);
    expect(shown(skipped.body.data)).toMatch(/No chart this time: I am drawing a lot of them just now\. Ask again in a minute for yours\./);

    drawing.release();
    const chart = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${sent.token}`, 5000, 'the chart');
    expect(chart.body.flags).toBe(64);
    expect(chart.files.map((f) => [f.name, f.type])).toEqual([['dojo-stats.png', 'image/png']]);
    expect(isPng(chart.files[0]!.bytes)).toBe(true);
    expect(pngSize(chart.files[0]!.bytes)).toEqual({ width: STATS_SIZE.width, height: statsHeight(0) });
    expect(chart.body.attachments).toMatchObject([{ id: '0', description: expect.stringMatching(/^bob's points per week for the last 12 weeks/) }]);
    expect(followUps(other)).toEqual([]);
  });

  it('follows with a short private line when the chart could not be drawn', async () => {
    drawing.broken = true;
    const sent = h.fake.play.slash(bob, ['stats']);
    expect(shown((await h.fake.play.callbackOf(sent)).body.data)).toMatch(/Your chart follows in a moment\./);
    const note = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${sent.token}`, 5000, 'the note');
    drawing.broken = false;
    expect(note.body.flags).toBe(64);
    expect(shown(note.body)).toBe("I couldn't draw your chart this time; the numbers above say it all.");
    expect(note.files ?? []).toEqual([]);
  });
});
