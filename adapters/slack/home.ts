/**
 * The App Home tab: the member's stats and streak, the team's board, and for admins the channel
 * schedules. The content is the core's (`home`); this file publishes it.
 */
import type { Block } from '../../src/core/messages.js';
import type { Dojo, TeamRef, UserRef } from '../../src/core/ports.js';
import { encodeViewMeta } from './parse.js';
import { renderHome } from './render.js';
import type { Workspaces } from './workspaces.js';

/** What the adapter needs of the core for the Home tab (an optional capability of Dojo). */
export interface HomeSource {
  home(team: TeamRef, user: UserRef): Promise<Block[]>;
}

export type SlackDojo = Dojo & Partial<HomeSource>;

export async function homeBlocks(dojo: SlackDojo, team: TeamRef, user: UserRef): Promise<Block[]> {
  const blocks = dojo.home ? await dojo.home(team, user) : [];
  return [...blocks, { type: 'context', text: 'Type /dojo help in a channel for everything you can do.' }];
}

export async function publishHome(workspaces: Workspaces, team: TeamRef, userId: string, channelId: string, blocks: Block[]): Promise<void> {
  const client = await workspaces.clientFor(team.id);
  await client.views.publish({ user_id: userId, view: renderHome(blocks, encodeViewMeta({ channel: channelId })) });
}
