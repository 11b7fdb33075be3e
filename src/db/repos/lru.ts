/** A bounded Map that drops its least recently used entry first (the tenancy cache's). */
const MAX_ENTRIES = 20_000;

export class LruMap<V> extends Map<string, V> {
  override get(key: string): V | undefined {
    const value = super.get(key);
    if (value !== undefined) {
      super.delete(key);
      super.set(key, value);
    }
    return value;
  }
  override set(key: string, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > MAX_ENTRIES) this.delete(this.keys().next().value!);
    return this;
  }
}
