/**
 * Posts marked sent together (issue 13): while one statement marking posts sent is running, the posts
 * that finish meanwhile wait for it and are then marked in one statement, so under load a post costs a
 * fraction of a round trip, and alone it costs one, as before, with no wait.
 */
import { markSentMany } from '../db/repos/outbox.js';
import type { Deps } from './context.js';

interface Mark {
  id: number;
  owner: string;
  done: (marked: boolean) => void;
  failed: (error: unknown) => void;
}

class Marks {
  private waiting: Mark[] = [];
  private busy = false;
  constructor(private readonly deps: Deps) {}

  mark(id: number, owner: string): Promise<boolean> {
    return new Promise((done, failed) => {
      this.waiting.push({ id, owner, done, failed });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 500);
      try {
        const marked = await markSentMany(this.deps.db, batch);
        for (const m of batch) m.done(marked.has(m.id));
      } catch (error) {
        for (const m of batch) m.failed(error);
      }
    }
    this.busy = false;
  }
}

const marks = new WeakMap<Deps, Marks>();

/** Marks a post sent if `owner` still holds it (false for a stale owner), batched with the others finishing now. */
export function markSent(deps: Deps, id: number, owner: string): Promise<boolean> {
  let m = marks.get(deps);
  if (!m) marks.set(deps, (m = new Marks(deps)));
  return m.mark(id, owner);
}
