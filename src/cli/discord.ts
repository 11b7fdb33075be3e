/**
 * `dojo discord register [--guild ID]`: puts the /dojo command on Discord, for every server the bot is
 * in (global; Discord may take a while to show changes) or for one server (at once; for development).
 */
import { parseArgs } from 'node:util';
import { REST, Routes, type APIApplication } from 'discord.js';
import { dojoCommand } from '../../adapters/discord/commands.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { parseOrUsage } from './args.js';
import type { Io } from './io.js';

export const DISCORD_USAGE = `Usage: dojo discord register [--guild ID]

  register            register the /dojo command globally (all servers; may take up to an hour to show)
  --guild ID          register it in one server only (shows at once; good for development)

Needs DISCORD_TOKEN; DISCORD_APPLICATION_ID is read from Discord when unset.`;

export async function discordCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...flags] = args;
  if (sub !== 'register') throw new UsageError(sub ? `Unknown discord command "${sub}".` : 'Say what to do: dojo discord register.', DISCORD_USAGE);
  const { values } = parseOrUsage(
    () => parseArgs({ args: flags, options: { guild: { type: 'string' } }, allowPositionals: false, strict: true }),
    DISCORD_USAGE,
  );
  if (values.guild !== undefined && !/^\d{15,22}$/.test(values.guild)) {
    throw new UsageError(`--guild must be a server id (a number like 123456789012345678), got "${values.guild}".`, DISCORD_USAGE);
  }
  const config = loadConfig(io.env);
  if (!config.discord) throw new UsageError('DISCORD_TOKEN is not set: the bot token from the Discord developer portal.', DISCORD_USAGE);
  const rest = new REST({ retries: 1, timeout: 15_000, ...(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}) }).setToken(config.discord.token);
  const applicationId = config.discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const command = dojoCommand();
  const route = values.guild ? Routes.applicationGuildCommands(applicationId, values.guild) : Routes.applicationCommands(applicationId);
  try {
    await rest.put(route, { body: [command] });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401) throw new UsageError('Discord refused DISCORD_TOKEN (401): check the bot token.');
    if (status === 403 && values.guild) throw new UsageError(`Discord refused (403): is the bot in server ${values.guild}, invited with the applications.commands scope?`);
    throw error;
  }
  const subs = command.options?.length ?? 0;
  io.out(
    values.guild
      ? `Registered /dojo (${subs} subcommands) in server ${values.guild}; it is available there now.`
      : `Registered /dojo (${subs} subcommands) globally; Discord may take up to an hour to show it everywhere.`,
  );
  return 0;
}
