/** What the built-in bank was last synced from: a fingerprint of its files and how many questions it had. */
export interface BankSyncTable {
  source: 'builtin';
  fingerprint: string;
  questions: number;
  synced_at: Date;
}
export interface PartialDB { bank_sync: BankSyncTable }
