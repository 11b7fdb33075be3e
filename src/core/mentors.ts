/** `/dojo mentor add|remove|list`: admins appoint mentors (and admins). */
import { ensureMember, findMemberByUser, membersWithRole, setGroupRole, setRole } from '../db/repos/tenancy.js';
import type { Intent } from './commands.js';
import type { Ctx } from './context.js';
import { ephemeral, announce, announceText, type FlowOutcome } from './announce.js';
import { blocksToText, type Block } from './messages.js';

type MentorIntent = Extract<Intent, { cmd: 'mentor-add' | 'mentor-remove' | 'mentor-list' | 'group-add' | 'group-remove' }>;
type GroupIntent = Extract<Intent, { cmd: 'group-add' | 'group-remove' }>;

export async function mentorCommand(ctx: Ctx, intent: MentorIntent): Promise<FlowOutcome> {
  if (intent.cmd === 'group-add' || intent.cmd === 'group-remove') return groupCommand(ctx, intent);
  if (intent.cmd === 'mentor-list') {
    const mentors = await membersWithRole(ctx.trx, ctx.team.id, ['mentor']);
    const admins = await membersWithRole(ctx.trx, ctx.team.id, ['admin']);
    const list = (ms: typeof mentors) => (ms.length ? ms.map((m) => m.display_name || m.platform_user_id).join(', ') : 'nobody yet');
    const roles = (n: number, what: string) => (n ? `\nEveryone in ${n === 1 ? '1 server role or group' : `${n} server roles or groups`} is ${what} too.` : '');
    return { reply: { text: `Mentors: ${list(mentors)}.\nAdmins: ${list(admins)}.${roles(ctx.team.mentor_role_ids.length, 'a mentor')}${roles(ctx.team.admin_role_ids.length, 'an admin')}`, visibility: 'ephemeral' } };
  }
  // The named member may not have used the bot yet: they get a row now, named when they first appear.
  const target = await ensureMemberQuietly(ctx, intent.userId);
  if (intent.cmd === 'mentor-remove') {
    if (target.platform_admin) return { reply: { text: 'They are a workspace admin, so they stay an admin here.', visibility: 'ephemeral' } };
    if (target.role === 'member') {
      // Their role may come from a platform role or group the team maps (as last seen): that is changed there.
      const mapped = target.platform_role_ids.some((id) => ctx.team.mentor_role_ids.includes(id) || ctx.team.admin_role_ids.includes(id));
      const who = `${target.display_name || 'They'} ${target.display_name ? 'is' : 'are'}`;
      const text = mapped
        ? `${who} a mentor or an admin through a server role or group. Take them out of it, or unmap it: /dojo mentor remove @role.`
        : `${who} not a mentor or an admin.`;
      return { reply: { text, visibility: 'ephemeral' } };
    }
    await setRole(ctx.trx, ctx.team.id, target.id, 'member');
    return { reply: { text: `${target.display_name || 'They'} ${target.display_name ? 'is' : 'are'} no longer ${target.role === 'admin' ? 'an admin' : 'a mentor'}.`, visibility: 'ephemeral' } };
  }
  await setRole(ctx.trx, ctx.team.id, target.id, intent.role);
  const what = `now ${intent.role === 'admin' ? 'an admin' : 'a mentor'}.`;
  const failed = (reason: string) => `They are ${what} (I couldn't announce it in the channel: ${reason}.)`;
  if (target.display_name) return announceText(ctx, `${target.display_name} is ${what}`, { failed });
  // Not seen yet, so no name: the channel is told who by a mention of them (and they hear of it).
  const blocks: Block[] = [{ type: 'mention', userIds: [target.platform_user_id], text: `is ${what}` }];
  return announce(ctx, { text: blocksToText(blocks), blocks }, { failed });
}

async function ensureMemberQuietly(ctx: Ctx, userId: string) {
  const existing = await findMemberByUser(ctx.trx, ctx.team.id, userId);
  return existing ?? ensureMember(ctx.trx, ctx.team.id, userId, '', false);
}

/** Maps a platform role or user group to mentor or admin for everyone in it (or unmaps it). */
async function groupCommand(ctx: Ctx, intent: GroupIntent): Promise<FlowOutcome> {
  const which = intent.groupName ? `the role ${intent.groupName}` : 'that role';
  // On Discord the @everyone role has the server's id: that would make the whole server mentors.
  if (intent.groupId === ctx.team.external_id) return ephemeral('That role is everyone on the server. Appoint people, or a smaller role.');
  const before = await setGroupRole(ctx.trx, ctx.team.id, intent.groupId, intent.cmd === 'group-add' ? intent.role : null);
  if (intent.cmd === 'group-remove') {
    if (!before) return ephemeral(`Nobody is a mentor or an admin here through ${which}.`);
    return ephemeral(`Done: ${which} no longer makes anyone ${before === 'admin' ? 'an admin' : 'a mentor'} (people appointed one by one stay).`);
  }
  const what = intent.role === 'admin' ? 'an admin' : 'a mentor';
  const text = `Everyone with ${which} is now ${what} here.`;
  return announceText(ctx, text, { failed: (reason) => `${text} (I couldn't announce it in the channel: ${reason}.)` });
}
