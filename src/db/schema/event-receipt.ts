import type { Generated, Selectable } from 'kysely';

/**
 * Event receipts: the ids of inbound platform events already handled, kept so a replayed event (Slack's
 * retries, a reconnect's redelivery) changes nothing. The table keeps its first name, processed_delivery:
 * renaming it would take a new migration (migrations are frozen) for no change in behaviour, so the code
 * calls it an event receipt and the table stays as it is.
 */
export interface EventReceiptTable {
  platform: string;
  delivery_id: string;
  received_at: Generated<Date>;
}
export type EventReceiptRow = Selectable<EventReceiptTable>;
export interface PartialDB { processed_delivery: EventReceiptTable }
