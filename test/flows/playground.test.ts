/**
 * The scripted demo (test/playground/demo.txt) through the real `dojo playground` command: a whole day
 * of the product, read from stdin, on the embedded database (or Postgres with TEST_DATABASE_URL).
 * The script runs with --seed 1 so the quiz asks the same questions each time; if the bank changes
 * those, update the letters in demo.txt (its comment says which questions it expects).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { statsHeight, STATS_SIZE } from '../../src/charts/index.js';
import { dojo, ROOT } from '../helpers/cli.js';
import { isPng, pngSize } from '../helpers/png.js';
import { backend, TEST_DATABASE_URL } from '../helpers/db.js';

describe(`the scripted playground demo on ${backend}`, () => {
  let env: Record<string, string>;
  let schema: string | undefined;

  beforeAll(async () => {
    if (TEST_DATABASE_URL) {
      schema = `t_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`create schema "${schema}"`);
      await client.end();
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      // The data directory still holds the pictures the playground saves.
      env = { DATABASE_URL: url.toString(), DOJO_DATA_DIR: await mkdtemp(join(tmpdir(), 'dojo-demo-')) };
    } else {
      env = { DOJO_DATA_DIR: await mkdtemp(join(tmpdir(), 'dojo-demo-')) };
    }
  });

  it('runs a week: schedule, question of the day, review and feedback, a quiz, the board and stats, practice, a league board and the weekly recap', async () => {
    const script = await readFile(join(ROOT, 'test/playground/demo.txt'), 'utf8');
    const run = await dojo(['playground', '--start', '2026-11-22T10:00:00Z', '--seed', '1'], env, { input: script, timeoutMs: 150_000 });
    expect(run.code).toBe(0);
    const out = run.stdout;
    // The admin sets the schedule; the question appears Monday 09:00 Berlin and takes thread answers.
    expect(out).toContain('#general Saved. Question of the day: Mon–Fri at 09:00 Europe/Berlin');
    expect(out).toMatch(/#general Question of the day\n[\s\S]*Closes: Mon 23 Nov, 17:00 CET/);
    // It closes with the key points and a summary, and pings the mentor with a review button.
    expect(out).toMatch(/thread Time's up\n\s+Key points\n/);
    expect(out).toContain('2 answers from bob and dan. Thanks!');
    expect(out).toMatch(/thread @carol 2 answers waiting for review\.\n\s+\[Review an answer\]/);
    // carol reviews the oldest answer (bob's, both his replies) and bob gets the feedback.
    expect(out).toMatch(/\(form for @carol\) Review an answer[\s\S]*> Start from the symptoms[\s\S]*> Then write down what we learned/);
    expect(out).toMatch(/dm @bob A mentor reviewed your answer[\s\S]*Correctness: 3\/4 · Depth and trade-offs: 3\/4 · Clarity: 4\/4\n\s+Score: 10\/12 · picked as the best answer!\n\s+> Clear and methodical/);
    expect(out).toContain('(only @carol) Thanks! Review sent (10/12).');
    // The quiz: buttons, a changed answer, speed scoring and a streak bonus.
    expect(out).toContain('(only @dan) Changed to B.');
    expect(out).toMatch(/thread Time's up: question 1\n\s+Answer: B\. Wide-column store - Apache Cassandra[\s\S]*Correct: bob and dan\./);
    // bob's wrong pick on the second question gets its explanation at the close.
    expect(out).toMatch(/thread Time's up: question 2\n\s+Answer: C\.[\s\S]*Why the picked wrong answer is wrong\n\s+• D\. Ask support to run it themselves[^\n]*: It moves the risk/);
    expect(out).toMatch(/thread Quiz over: the standings\n\s+#\s+Member\s+Points\s+Correct\n\s+1\s+dan\s+23\s+2\n\s+2\s+bob\s+14\s+1/);
    // The board and stats show all of it: review points (10 + 5 best answer), quiz points, streaks.
    expect(out).toMatch(/#general Leaderboard · This week\n\s+#\s+Member\s+Points\s+Answers\s+Streak\n\s+1\s+bob\s+31\s+3\s+1\n\s+2\s+dan\s+25\s+3\s+1/);
    expect(out).toMatch(/\(only @bob\) Stats for bob\n\s+Answers: 3 · Points: 31 · Rank: #1 of 2 · Average review: 10\.0\/12 \(1\) · Streak: 1 now, best 1/);
    // Stats name the strongest and weakest topics, with how much of each bob would recall now.
    expect(out).toMatch(/Strongest: databases · Weakest: situational\n\s+Topic\s+Scored\s+Recall now\n/);
    // Practice: nothing due yet, then the missed quiz question, answered before its explanation, then rated.
    expect(out).toContain('(only @bob) Nothing is due right now. Your next review is in 10 minutes');
    expect(out).toMatch(/\(only @bob\) Practice: this one is due again\n\s+Support asks you to fix one customer's broken order[\s\S]*\[A\] \[B\] \[C\] \[D\]\n\s+Pick your answer/);
    expect(out).toMatch(/\(only @bob\) Right: C\n\s+Answer: C\.[\s\S]*\[Hard\] \[Good\] \[Easy\]/);
    expect(out).toContain('(only @bob) Noted: Good. It comes back in 1 day (Tue 24 Nov, 18:11 UTC).');
    // The daily DM arrives at 07:30 in Berlin, 06:30 UTC, with a question of its own.
    expect(out).toContain('Daily practice is on: a question in your direct messages every day at 07:30 Europe/Berlin. The first comes Tue 24 Nov, 07:30 CET.');
    expect(out).toMatch(/dm @bob Your daily practice\n[\s\S]*Every day at 07:30 Europe\/Berlin; \/dojo practice off stops it\./);
    // A season places the players in leagues (two players: one league, Bronze); dan sees his league's board.
    expect(out).toMatch(/#general Leaderboard · This week · Bronze league\n\s+#\s+Member\s+Points\s+Answers\s+Streak\n\s+1\s+bob\s+31\s+3\s+1\n\s+2\s+dan\s+25\s+3\s+1\n\s+Bronze league \(1 of 1\)\./);
    expect(out).toMatch(/#general Most improved · This week\n\s+#\s+Member\s+This week\s+Last week\s+Change\n\s+1\s+bob\s+31\s+0\s+\+31\n\s+2\s+dan\s+25\s+0\s+\+25/);
    // At Monday 00:00 in Berlin the week's recap goes to the scheduled channel, once.
    expect(out).toMatch(/#general Week in review · 23 Nov – 29 Nov\n\s+2 members answered\. Top of the week: bob \(31\), dan \(25\)\.\n\s+Best answers picked by mentors:\n\s+• bob on “[^”]+” \(10\/12\)\n\s+Most improved: bob \+31 \(31 against 0\), dan \+25 \(25 against 0\)\.\n\s+Leagues:\n\s+• Bronze: nobody has scored yet/);
    expect(out.match(/Week in review/g)).toHaveLength(1);
    // Its board as a picture, saved beside the stats chart.
    const week = /Week in review[\s\S]*?\[picture: (\S+\.png)\]/.exec(out)?.[1];
    expect(week).toBe(join(env.DOJO_DATA_DIR!, 'pictures', '002-dojo-week.png'));
    expect(isPng(await readFile(week!))).toBe(true);
    // The stats chart follows the words: saved as a PNG under the data directory, its path printed.
    const picture = /\(only @bob\) Stats for bob\n[\s\S]*?Your chart follows in a moment\.\n\(only @bob\) Your chart:\n\s+\[picture: (\S+\.png)\]/.exec(out)?.[1];
    expect(picture).toBe(join(env.DOJO_DATA_DIR!, 'pictures', '001-dojo-stats.png'));
    const png = await readFile(picture!);
    expect(isPng(png)).toBe(true);
    // bob has scored in three topics: a row each.
    expect(pngSize(png)).toEqual({ width: STATS_SIZE.width, height: statsHeight(3) });
    expect(out).not.toContain('!!');
  }, 180_000); // a simulated week through a child process, on a shared machine
});
