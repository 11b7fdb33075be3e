import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface OutboxTable {
  id: Generated<number>;
  team_id: string;
  channel_id: number | null;
  schedule_id: number | null;
  round_id: number | null;
  payload: ColumnType<unknown, string, string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  last_error: string | null;
  /** The token of the current claim; only its holder saves the result. */
  owner: Generated<string | null>;
  /** How many times the row was claimed: more than one means an earlier try may have reached the platform. */
  claims: Generated<number>;
  created_at: Generated<Date>;
  /** The inbound delivery (or tick) that wrote the row. */
  correlation_id: string | null;
}
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export interface PartialDB { outbox: OutboxTable }
