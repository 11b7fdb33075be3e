/**
 * Posts marked sent together (issue 13): while one statement marking posts sent is running, the posts
 * that finish meanwhile wait for it and are then marked in one statement, so under load a post costs a
 * fraction of a round trip, and alone it costs one, as before, with no wait. Posts linked to a round (the
 * questions of the day) save the round's refs and the thread in the same way.
 */
import { finishPostedRounds, markSentMany } from '../db/repos/outbox.js';
import type { Deps } from './context.js';

/** A post that opened a round's thread: the refs its round gets. */
export interface RoundPost {
  teamId: string;
  roundId: number;
  message: string;
  thread: string;
  at: Date;
}

interface Mark {
  id: number;
  owner: string;
  round?: RoundPost;
  done: (marked: boolean) => void;
  failed: (error: unknown) => void;
}

class Marks {
  private waiting: Mark[] = [];
  private busy = false;
  constructor(private readonly deps: Deps) {}

  mark(id: number, owner: string, round?: RoundPost): Promise<boolean> {
    return new Promise((done, failed) => {
      this.waiting.push({ id, owner, ...(round ? { round } : {}), done, failed });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 500);
      const plain = batch.filter((m) => !m.round);
      const rounds = batch.filter((m) => m.round);
      await Promise.all([
        this.settle(plain, () => markSentMany(this.deps.db, plain)),
        this.settle(rounds, () =>
          finishPostedRounds(
            this.deps.db,
            rounds.map((m) => ({ id: m.id, owner: m.owner, team_id: m.round!.teamId, round_id: m.round!.roundId, message: m.round!.message, thread: m.round!.thread, at: m.round!.at })),
          ),
        ),
      ]);
    }
    this.busy = false;
  }

  private async settle(batch: Mark[], run: () => Promise<Set<number>>): Promise<void> {
    if (batch.length === 0) return;
    try {
      const marked = await run();
      for (const m of batch) m.done(marked.has(m.id));
    } catch (error) {
      for (const m of batch) m.failed(error);
    }
  }
}

const marks = new WeakMap<Deps, Marks>();

function marksOf(deps: Deps): Marks {
  let m = marks.get(deps);
  if (!m) marks.set(deps, (m = new Marks(deps)));
  return m;
}

/** Marks a post sent if `owner` still holds it (false for a stale owner), batched with the others finishing now. */
export function markSent(deps: Deps, id: number, owner: string): Promise<boolean> {
  return marksOf(deps).mark(id, owner);
}

/**
 * Marks a round's post sent if `owner` still holds it and saves the round's refs (the thread is
 * remembered whoever holds it), batched with the others finishing now; false for a stale owner.
 */
export function markRoundPosted(deps: Deps, id: number, owner: string, round: RoundPost): Promise<boolean> {
  return marksOf(deps).mark(id, owner, round);
}
