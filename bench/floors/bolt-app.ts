/** The Slack floor: a bare Bolt 5.1 app over HTTP that answers `/dojo` in its ack, nothing else. */
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
await app.start(Number(process.env.PORT));
console.log('ready');
