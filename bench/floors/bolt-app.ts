/**
 * The Slack floor: a bare Bolt 5.1 app over HTTP that answers `/dojo` in its ack, and puts a ✅ on every
 * thread message (the thread-answer figure's floor: the framework's own event path and one Web API call,
 * no database), nothing else.
 */
import bolt from '@slack/bolt';

const app = new bolt.App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: bolt.LogLevel.ERROR,
});
app.command('/dojo', async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', text: `Here is what you can do: ${command.text}` });
});
app.message(async ({ message, client }) => {
  if (!('thread_ts' in message) || !message.thread_ts) return;
  await client.reactions.add({ channel: message.channel, timestamp: message.ts, name: 'white_check_mark' });
});
await app.start(Number(process.env.PORT));
console.log('ready');
