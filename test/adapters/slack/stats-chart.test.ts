/**
 * /dojo stats through the real Bolt App: the words reach the person through the response_url at once,
 * whatever the chart is doing; the chart follows as its own upload into their DMs; past the drawing's
 * bound it is skipped and the words say so; a chart that cannot be drawn or uploaded is owned up to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsHeight, STATS_SIZE } from '../../../src/charts/index.js';
import { backend } from '../../helpers/db.js';
import { HeldDrawing } from '../../helpers/drawing.js';
import { isPng, pngSize } from '../../helpers/png.js';
import { blockTexts, world, type World } from './world.js';

const ALICE = { user: 'UALICE', userName: 'alice' };
const BOB = { user: 'UBOB', userName: 'bob' };
const CY = { user: 'UCY', userName: 'cy' };

describe(`the stats chart follows the words on Slack, ${backend}`, () => {
  let w: World;
  // One chart drawn at a time and none waiting, held until the test lets it go.
  const drawing = new HeldDrawing({ concurrency: 1, waiting: 0 });
  beforeAll(async () => {
    w = await world({ drawing });
  });
  afterAll(async () => w.close());

  /**
   * What the command said, in order: the words, then any note. Words in the ack were sent before anything
   * through the response_url (the pictures' delivery waits for the ack), but the driver records them only
   * when it reads the HTTP response, so they are put first here.
   */
  const said = (responseId: string) => {
    const mine = w.fake.responses.filter((r) => r.id === responseId);
    return [...mine.filter((r) => r.via === 'ack'), ...mine.filter((r) => r.via !== 'ack')].map((r) => String(r.body.text));
  };
  const uploadsTo = (dm: string) => w.fake.callsOf('files.completeUploadExternal').filter((c) => c.args.channel_id === dm);

  it('sends the words while the chart is still drawing, then the chart into the DMs', async () => {
    const sent = await w.driver.command('stats', ALICE);
    const words = await w.fake.waitFor(() => said(sent.responseId)[0], 'the words of /dojo stats');
    expect(words).toMatch(/^Stats for alice\n/);
    expect(words).toMatch(/Your chart follows in our direct messages\.$/);
    expect(blockTexts((w.fake.responses.find((r) => r.id === sent.responseId)!.body.blocks as unknown[]) ?? []).at(-1)).toBe('Your chart follows in our direct messages.');
    expect(drawing.reached).toBe(1);
    expect(uploadsTo('DALICE')).toEqual([]);

    // The one slot is drawing and nobody may wait: bob's chart is skipped, and his words say so.
    const skipped = await w.driver.command('stats', BOB);
    const bobWords = await w.fake.waitFor(() => said(skipped.responseId)[0], 'bob’s words');
    expect(bobWords).toMatch(/^Stats for bob\n/);
    expect(bobWords).toMatch(/No chart this time: I am drawing a lot of them just now\. Ask again in a minute for yours\.$/);

    drawing.release();
    await w.settle();
    const [upload, ...more] = uploadsTo('DALICE');
    expect(more).toEqual([]);
    expect(upload?.args.files).toEqual([{ id: expect.any(String), title: 'dojo-stats.png' }]);
    const bytes = w.fake.uploads.at(-1)!.bytes;
    expect(isPng(bytes)).toBe(true);
    expect(pngSize(bytes)).toEqual({ width: STATS_SIZE.width, height: statsHeight(0) });
    expect(uploadsTo('DBOB')).toEqual([]);
    expect(said(sent.responseId)).toHaveLength(1);
    expect(said(skipped.responseId)).toHaveLength(1);
  });

  it('says so after the words when the chart could not be drawn', async () => {
    drawing.broken = true;
    const sent = await w.driver.command('stats', CY);
    await w.settle();
    drawing.broken = false;
    const [words, note, ...more] = said(sent.responseId);
    expect(words).toMatch(/Your chart follows in our direct messages\.$/);
    expect(note).toBe("I couldn't draw your chart this time; the numbers above say it all.");
    expect(more).toEqual([]);
    expect(uploadsTo('DCY')).toEqual([]);
  });

  it('says so after the words when Slack refuses the upload (no files:write)', async () => {
    w.fake.once('files.getUploadURLExternal', () => ({ ok: false, error: 'missing_scope', needed: 'files:write' }));
    const sent = await w.driver.command('stats', CY);
    await w.settle();
    const [words, note, ...more] = said(sent.responseId);
    expect(words).toMatch(/^Stats for cy\n/);
    expect(note).toBe("I couldn't send your chart (the app lacks the files:write scope); the numbers above say it all.");
    expect(more).toEqual([]);
  });
});
