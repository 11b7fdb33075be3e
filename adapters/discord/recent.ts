/**
 * The ids of recent deliveries, so a duplicate dispatch is not even answered twice (the core also
 * ignores a deliveryId it has seen, which covers restarts and other instances). Bounded: the oldest
 * ids are forgotten first.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 5000) {}

  /** Records the id; false when it was seen before. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
