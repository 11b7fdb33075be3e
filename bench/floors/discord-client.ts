/**
 * The Discord floor: a bare discord.js 14 client that replies to every interaction in its callback.
 * With FLOOR_DATABASE_URL, a click on a `store:` button is first stored by one prepared insert on that
 * Postgres (the interaction's id as its key, as a bot that must not count a replayed click twice does),
 * then answered: the least a bot can do that promises a pick was kept.
 */
import { Client, GatewayIntentBits } from 'discord.js';
import pg from 'pg';

const TABLE = 'bench_floor.clicks';
const db = process.env.FLOOR_DATABASE_URL ? new pg.Client({ connectionString: process.env.FLOOR_DATABASE_URL }) : undefined;
if (db) {
  await db.connect();
  await db.query(`create schema if not exists bench_floor; drop table if exists ${TABLE}; create table ${TABLE} (interaction_id text primary key, user_id text not null, pick text not null, at timestamptz not null default now())`);
}

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: process.env.DISCORD_API_URL } });
client.on('interactionCreate', (interaction) => {
  if (!interaction.isRepliable()) return;
  if (db && interaction.isButton() && interaction.customId.startsWith('store:')) {
    const values = [interaction.id, interaction.user.id, interaction.customId.slice(6)];
    void db
      .query({ name: 'store', text: `insert into ${TABLE} (interaction_id, user_id, pick) values ($1, $2, $3) on conflict do nothing`, values })
      .then(() => interaction.reply({ content: `Got it: ${values[2]}.`, ephemeral: true }))
      .catch(() => undefined);
    return;
  }
  void interaction.reply({ content: 'Here is what you can do.', ephemeral: true }).catch(() => undefined);
});
client.once('clientReady', () => console.log('ready'));
await client.login(process.env.DISCORD_TOKEN);
