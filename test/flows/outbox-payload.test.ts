import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

describe(`a stored outbox payload is checked when read back, on ${backend}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.cmd(h.user('ada'), 'help'); // the team exists from here on
  });
  afterAll(async () => h?.close());

  it('marks an unreadable row failed with the reason, and still sends the good rows around it', async () => {
    const now = h.clock.now();
    const row = (payload: string) => ({ team_id: 'memory:T1', channel_id: null, schedule_id: null, round_id: null, payload, next_attempt_at: now, created_at: now, last_error: null, correlation_id: null });
    const good = { kind: 'post', channel: 'C1', message: { text: 'still sent', blocks: [{ type: 'text', text: 'still sent' }], files: [{ name: 'a.png', alt: 'a chart', base64: Buffer.from([1, 2, 3]).toString('base64') }] } };
    const inserted = await h.t.db
      .insertInto('outbox')
      .values([
        row(JSON.stringify({ kind: 'post', channel: 42, message: { text: 'x', blocks: [] } })),
        row(JSON.stringify('not a delivery')),
        row(JSON.stringify({ kind: 'teleport' })),
        row('null'),
        row(JSON.stringify(good)),
      ])
      .returning('id')
      .execute();
    const mark = h.chat.sent.length;
    await h.dojo.tick();
    const rows = await h.t.db
      .selectFrom('outbox')
      .select(['id', 'status', 'last_error'])
      .where('id', 'in', inserted.map((r) => r.id))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'sent']);
    expect(rows[0]!.last_error).toMatch(/^unreadable payload: .* at channel$/);
    expect(rows[2]!.last_error).toMatch(/^unreadable payload: .* at kind$/);
    expect(h.chat.since(mark).map((s) => s.text)).toEqual(['still sent']);
    // Pictures are kept as base64 and come back as bytes.
    expect(h.chat.since(mark)[0]!.message.files).toEqual([{ name: 'a.png', alt: 'a chart', bytes: new Uint8Array([1, 2, 3]) }]);
  });
});
