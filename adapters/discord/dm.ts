/**
 * Buttons and forms in direct messages. A DM interaction carries no guild, yet the core needs the team
 * (a mentor approving a team question, a review reminder). Buttons and modals sent in DMs therefore
 * carry the guild id after a `#` in their custom id (core ids never contain `#`), and the clicker's
 * server permissions are fetched from the guild, so roles hold in DMs as in channels.
 */
import type { Client, GuildMember } from 'discord.js';

const TAGGED = /^(.*)#(\d{1,20})$/;
const MAX_CUSTOM_ID = 100;

/** The custom id with the guild attached (unchanged if the guild would not fit). */
export function tagWithGuild(id: string, guildId: string | undefined): string {
  if (!guildId) return id;
  const tagged = `${id}#${guildId}`;
  return tagged.length <= MAX_CUSTOM_ID ? tagged : id;
}

export function untag(customId: string): { id: string; guildId?: string } {
  const m = TAGGED.exec(customId);
  return m ? { id: m[1]!, guildId: m[2]! } : { id: customId };
}

/** The member behind a DM click, for their permissions and roles in the guild; undefined if gone. */
export async function memberOf(client: Client, guildId: string, userId: string): Promise<GuildMember | undefined> {
  const guild = client.guilds.cache.get(guildId);
  if (!guild) return undefined;
  try {
    return await guild.members.fetch(userId);
  } catch {
    return undefined;
  }
}
