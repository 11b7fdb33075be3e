/**
 * The cheap front of an event (issue 13): what the tenancy statement needs from it, and the answers
 * that need no database at all (help, from the member's cached rows), which adapters send in the ack.
 */
import { peekTenancy, type TenancyInput } from '../db/repos/tenancy-cache.js';
import { parseCommand } from './grammar.js';
import type { Deps } from './context.js';
import { effectiveRole } from './context.js';
import { helpFor } from './help.js';
import type { Role } from '../db/repos/types.js';
import type { InboundEvent, Outcome } from './ports.js';
import { capabilitiesOf } from './ports.js';

export function tenancyInput(event: InboundEvent, timezone: string, now: Date): TenancyInput {
  return {
    platform: event.team.platform,
    teamExternalId: event.team.id,
    teamName: event.team.name ?? '',
    timezone,
    userId: event.user.id,
    userName: event.user.name,
    platformAdmin: event.user.isPlatformAdmin,
    platformRoleIds: event.user.roleIds,
    channelId: event.channel.id,
    channelName: event.channel.name ?? '',
    ...(event.deliveryId ? { deliveryId: event.deliveryId } : {}),
    now,
  };
}

export function helpReply(role: Role, style: Parameters<typeof helpFor>[1]): Outcome {
  const lines = helpFor(role, style);
  return { reply: { text: `Here is what you can do (you are ${role === 'admin' ? 'an admin' : `a ${role}`}):\n${lines.join('\n')}`, visibility: 'ephemeral', blocks: [{ type: 'header', text: 'Interview Dojo' }, { type: 'list', items: lines }] } };
}

/**
 * `help` answered from memory when the member's rows are cached (the role may be a moment old; help
 * changes nothing, and every other command checks the role against the database's version). undefined
 * when the event needs the full path.
 */
export function answerNow(deps: Deps, event: InboundEvent): Outcome | undefined {
  if (event.type !== 'command' || event.user.isBot) return undefined;
  const parsed = event.parsed ?? parseCommand(event.text);
  if (!parsed.ok || parsed.intent.cmd !== 'help') return undefined;
  const rows = peekTenancy(deps.db, event.team.platform, event.team.id, event.user.id);
  if (!rows) return undefined;
  const member = event.user.isPlatformAdmin === undefined ? rows.member : { ...rows.member, platform_admin: event.user.isPlatformAdmin };
  const role = effectiveRole(member, rows.team, event.user.roleIds);
  return helpReply(role, capabilitiesOf(deps.chat, { platform: event.team.platform, id: event.team.id, name: rows.team.name }).commandStyle);
}
