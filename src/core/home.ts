/** The App Home (Slack) view: the member's stats and streak, the team's board, and for admins the schedules. */
import { schedulesOfTeam } from '../db/repos/schedules.js';
import type { Handle, Member, Role, Team } from '../db/repos/types.js';
import { boardBlocks, statsBlocks } from './leaderboard.js';
import type { Block } from './messages.js';
import { describeSchedule } from './schedules.js';
import { periodStart } from './time.js';

export async function home(db: Handle, team: Team, member: Member, role: Role, now: Date): Promise<Block[]> {
  const blocks: Block[] = [...(await statsBlocks(db, team.id, member.id, member.display_name || 'you', now, true))];
  blocks.push(...(await boardBlocks(db, team.id, { from: periodStart(now, team.timezone, 'week') }, 'This week', member.id)));
  if (role === 'admin') {
    const schedules = await schedulesOfTeam(db, team.id);
    blocks.push({ type: 'header', text: 'Channel schedules' });
    blocks.push(schedules.length ? { type: 'list', items: schedules.map((s) => `#${s.channel_name || s.platform_channel_id}: ${describeSchedule(s)}`) } : { type: 'text', text: 'No channel has a question of the day yet: /dojo schedule set in a channel starts one.' });
  }
  return blocks;
}
