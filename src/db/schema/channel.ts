import type { Generated, Insertable, Selectable } from 'kysely';

export interface ChannelTable {
  id: Generated<number>;
  team_id: string;
  platform_channel_id: string;
  name: string;
  created_at: Generated<Date>;
}
export type ChannelRow = Selectable<ChannelTable>;
export type NewChannelRow = Insertable<ChannelTable>;
export interface PartialDB { channel: ChannelTable }
