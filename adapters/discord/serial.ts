/**
 * Runs work one at a time per key, in arrival order. Discord delivers a thread's messages in order,
 * and a person's clicks in order; handling them concurrently would let a later message land first,
 * or two first answers of one member race in the database. Different keys run in parallel.
 */
export class Serial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
