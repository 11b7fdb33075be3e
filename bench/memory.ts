/**
 * Memory at idle with many schedules: one schedule set the way an admin sets it (`/dojo schedule set`),
 * copied in SQL to N channels of the same team (the bench's one shortcut: N commands would take minutes),
 * then the product restarted on that data and its RSS read after it settles, with the V8 heap and
 * external memory from its own /metrics.
 *
 * Alone (`npx tsx bench/memory.ts [--schedules N] [--runs N]`, DATABASE_URL as for the bench): starts the
 * product on Postgres N times on the same seeded data and prints the spread, for a quick look at one figure.
 */
import pg from 'pg';
import { sleep } from './lib/util.js';
import type { SlackTarget } from './slack.js';

const MB = 1024 * 1024;

/** Sets one schedule in `channel` through Slack, then copies it to `n - 1` more channels of the team. */
export async function seedSchedules(t: SlackTarget, url: string, n: number, prefix = 'CMEM'): Promise<void> {
  const sent = await t.driver.command('schedule set days:daily time:08:00 tz:UTC kind:open window:2h', { user: 'UADMIN', userName: 'admin', channel: `${prefix}0` });
  if (sent.status !== 200) throw new Error(`schedule set was not acked (${sent.status})`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The confirmation is a channel post; the row is what matters here.
    const find = () =>
      client.query<{ id: number; team_id: string; channel_id: number }>(
        `select s.id, s.team_id, s.channel_id from schedule s join channel c on c.id = s.channel_id where c.platform_channel_id = $1`,
        [`${prefix}0`],
      );
    let rows = (await find()).rows;
    for (let waited = 0; !rows.length && waited < 15_000; waited += 100) {
      await sleep(100);
      rows = (await find()).rows;
    }
    await client.query('begin');
    const one = rows[0];
    if (!one) throw new Error(`no schedule in ${prefix}0`);
    await client.query(
      `insert into channel (team_id, platform_channel_id, name) select $1, $2 || g, 'bench-' || g from generate_series(1, $3::int - 1) g on conflict do nothing`,
      [one.team_id, prefix, n],
    );
    const columns = (await client.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'schedule' and table_schema = current_schema() and column_name not in ('id', 'channel_id')`)).rows.map((r) => r.column_name);
    const list = columns.map((c) => `s.${c}`).join(', ');
    await client.query(
      `insert into schedule (channel_id, ${columns.join(', ')})
       select c.id, ${list} from schedule s, channel c
       where s.id = $1 and c.team_id = s.team_id and c.platform_channel_id like $2 || '%' and c.platform_channel_id <> $2 || '0'
         and not exists (select 1 from schedule x where x.channel_id = c.id)`,
      [one.id, prefix],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

export interface MemoryBreakdown {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** The V8 heap and external memory, in MB, from the product's /metrics (prom-client's default metrics). */
export async function memoryBreakdown(baseUrl: string): Promise<MemoryBreakdown | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / MB;
    return { heapUsed: read('nodejs_heap_size_used_bytes'), heapTotal: read('nodejs_heap_size_total_bytes'), external: read('nodejs_external_memory_bytes') };
  } catch {
    return undefined;
  }
}

export const describeBreakdown = (b: MemoryBreakdown | undefined) =>
  b ? `V8 heap ${b.heapUsed.toFixed(0)} MB used of ${b.heapTotal.toFixed(0)} MB, external ${b.external.toFixed(0)} MB` : 'no /metrics';
