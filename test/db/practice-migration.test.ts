/**
 * The practice-cards migration keeps what members practised before FSRS: each fixed-interval
 * practice_state row becomes a review card due when it was due, its interval the card's stability and a
 * "didn't know" a lapse, and the scheduler carries on from there. Down gives the old rows back.
 */
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { throughListingRace } from '../../src/db/migrate.js';
import { findCard } from '../../src/db/repos/practice.js';
import { reviewCard } from '../../src/core/spaced.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const BEFORE = '20261130T130000Z-ledger-rollup';
const DUE = new Date('2026-11-27T09:00:00Z');

describe(`practice_state becomes FSRS cards, ${backend}`, () => {
  let t: TestDb;
  let migrator: Migrator;
  beforeAll(async () => {
    t = await testDb({ migrate: false });
    migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: t.schema });
    const { error } = await throughListingRace(() => migrator.migrateTo(BEFORE));
    if (error) throw error;
    await sql`insert into team (id, platform, external_id) values ('memory:T1', 'memory', 'T1')`.execute(t.db);
    await sql`insert into member (id, team_id, platform_user_id) values (1, 'memory:T1', 'U_bob')`.execute(t.db);
    await sql`insert into question (id, external_id, kind, category, difficulty, topics, prompt, source)
      values (1, 'q-1', 'open', 'technical', 'beginner', '{databases}', 'Why index?', 'builtin'),
             (2, 'q-2', 'open', 'technical', 'beginner', '{caching}', 'Why cache?', 'builtin')`.execute(t.db);
    await sql`insert into practice_state (member_id, question_id, team_id, last_rating, interval_days, seen_count, due_at, updated_at)
      values (1, 1, 'memory:T1', 'knew', 8, 3, ${DUE}, ${new Date('2026-11-19T09:00:00Z')}),
             (1, 2, 'memory:T1', 'didnt', 1, 1, ${DUE}, ${new Date('2026-11-26T09:00:00Z')})`.execute(t.db);
    const up = await throughListingRace(() => migrator.migrateToLatest());
    if (up.error) throw up.error;
  });
  afterAll(async () => t?.close());

  it('turns each row into a review card due when it was due, and FSRS carries on from it', async () => {
    const knew = (await findCard(t.db, 'memory:T1', 1, 1))!;
    const didnt = (await findCard(t.db, 'memory:T1', 1, 2))!;
    expect(knew).toMatchObject({ due: DUE, stability: 8, state: 2, reps: 3, lapses: 0, lastRating: 3, lastSource: 'migrated', previous: null });
    expect(didnt).toMatchObject({ due: DUE, stability: 1, state: 2, lapses: 1, lastRating: 1 });
    expect(knew.difficulty).toBeLessThan(didnt.difficulty);
    // Known well for 8 days, known again at its due date: it goes further out than the shaky one does.
    const far = reviewCard(knew, 'good', DUE, 'practice:3').card.due.getTime() - DUE.getTime();
    const near = reviewCard(didnt, 'good', DUE, 'practice:1').card.due.getTime() - DUE.getTime();
    expect(far).toBeGreaterThan(8 * 86_400_000);
    expect(near).toBeLessThan(far);
  });

  it('gives the old rows back on the way down', async () => {
    const { error } = await throughListingRace(() => migrator.migrateTo(BEFORE));
    if (error) throw error;
    const rows = await sql<{ question_id: number; last_rating: string; interval_days: number }>`select question_id, last_rating, interval_days from practice_state order by question_id`.execute(t.db);
    expect(rows.rows).toEqual([
      { question_id: 1, last_rating: 'knew', interval_days: 8 },
      { question_id: 2, last_rating: 'didnt', interval_days: 1 },
    ]);
  });
});
