import { describe, expect, it } from 'vitest';
import { pickAtRandom, pickQuestion, seededRandom, targetDifficulty, type Candidate } from '../../src/core/selection.js';

const q = (id: number, area: string, difficulty: Candidate['difficulty'] = 'beginner'): Candidate => ({ id, topics: [area], difficulty });
const none = { channel: [], teamRecent: new Set<number>() };
const first = () => 0;

describe('selection', () => {
  it('never repeats in a channel until the pool is used, then starts from the oldest', () => {
    const pool = [q(1, 'db'), q(2, 'db'), q(3, 'db'), q(4, 'db')];
    const at = (d: number) => new Date(Date.UTC(2026, 0, d));
    const used = { channel: [{ questionId: 1, at: at(3) }, { questionId: 2, at: at(2) }, { questionId: 3, at: at(1) }], teamRecent: new Set<number>() };
    expect(pickQuestion(pool, used, { random: first })?.id).toBe(4);
    const all = { ...used, channel: [{ questionId: 4, at: at(4) }, ...used.channel] };
    expect(pickQuestion(pool, all, { random: first })?.id).toBe(3);
  });

  it('prefers what the team has not met, the wanted difficulty, and the least-seen area', () => {
    const pool = [q(1, 'db'), q(2, 'http', 'advanced'), q(3, 'http')];
    expect(pickQuestion(pool, { channel: [], teamRecent: new Set([1]) }, { random: first })?.id).toBe(2);
    expect(pickQuestion(pool, none, { random: first, difficulty: 'advanced' })?.id).toBe(2);
    const areaOf = new Map(pool.map((c) => [c.id, c.topics[0]!]));
    const history = { channel: [{ questionId: 9, at: new Date(0) }], teamRecent: new Set<number>() };
    areaOf.set(9, 'db');
    expect(pickQuestion(pool, history, { random: first, areaOf })?.id).toBe(2);
    expect(pickQuestion(pool, none, { random: first, exclude: new Set([1, 2, 3]) })).toBeUndefined();
  });

  it('follows a difficulty policy, and the same seed gives the same picks', () => {
    expect(targetDifficulty({ mode: 'rotating' }, 4, first)).toBe('intermediate');
    expect(targetDifficulty({ mode: 'fixed', difficulty: 'advanced' }, 0, first)).toBe('advanced');
    expect(targetDifficulty({ mode: 'weighted', weights: { beginner: 0, intermediate: 1, advanced: 0 } }, 0, Math.random)).toBe('intermediate');
    const a = seededRandom(3);
    const b = seededRandom(3);
    const pool = [1, 2, 3, 4, 5, 6, 7];
    expect([1, 2, 3].map(() => pickAtRandom(pool, a))).toEqual([1, 2, 3].map(() => pickAtRandom(pool, b)));
    expect(pickAtRandom([], a)).toBeUndefined();
  });
});
