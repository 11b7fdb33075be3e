import type { Generated, Selectable } from 'kysely';

export interface ProcessedDeliveryTable {
  platform: string;
  delivery_id: string;
  received_at: Generated<Date>;
}
export type ProcessedDeliveryRow = Selectable<ProcessedDeliveryTable>;
export interface PartialDB { processed_delivery: ProcessedDeliveryTable }
