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
  created_at: Generated<Date>;
  /** The inbound delivery (or tick) that wrote the row. */
  correlation_id: string | null;
}
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export interface PartialDB { outbox: OutboxTable }
