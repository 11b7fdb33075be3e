/** The Discord floor: a bare discord.js 14 client that replies to every interaction in its callback. */
import { Client, GatewayIntentBits } from 'discord.js';

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: process.env.DISCORD_API_URL } });
client.on('interactionCreate', (interaction) => {
  if (interaction.isRepliable()) void interaction.reply({ content: 'Here is what you can do.', ephemeral: true }).catch(() => undefined);
});
client.once('clientReady', () => console.log('ready'));
await client.login(process.env.DISCORD_TOKEN);
