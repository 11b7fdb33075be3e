/**
 * The Slack floor: a bare Bolt 5.1 app over HTTP that answers `/dojo` in its ack, and puts a ✅ on every
 * thread message (the thread-answer figure's floor: the framework's own event path and one Web API call,
 * no database), nothing else. With FLOOR_DATABASE_URL and FLOOR_BOARDS (JSON: a period's best
 * hand-written top-10 query and its parameters), `/dojo leaderboard <period>` answers in its ack with
 * that query's rows: the leaderboard's floor, end to end.
 */
import bolt from '@slack/bolt';
import pg from 'pg';

const boards = JSON.parse(process.env.FLOOR_BOARDS ?? '{}') as Record<string, { text: string; values: unknown[] }>;
const db = process.env.FLOOR_DATABASE_URL ? new pg.Client({ connectionString: process.env.FLOOR_DATABASE_URL }) : undefined;
await db?.connect();

const app = new bolt.App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: bolt.LogLevel.ERROR,
});
app.command('/dojo', async ({ command, ack }) => {
  const board = db && /^leaderboard (\w+)/.exec(command.text);
  const query = board ? boards[board[1]!] : undefined;
  if (db && board && query) {
    const { rows } = await db.query<{ display_name: string; points: number }>({ name: `board-${board[1]}`, ...query });
    await ack({ response_type: 'in_channel', text: rows.map((r, i) => `${i + 1}. ${r.display_name} ${r.points}`).join('\n') || 'No points yet.' });
    return;
  }
  await ack({ response_type: 'ephemeral', text: `Here is what you can do: ${command.text}` });
});
app.message(async ({ message, client }) => {
  if (!('thread_ts' in message) || !message.thread_ts) return;
  await client.reactions.add({ channel: message.channel, timestamp: message.ts, name: 'white_check_mark' });
});
await app.start(Number(process.env.PORT));
console.log('ready');
