import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dojo } from '../helpers/cli.js';

describe('the dojo command', () => {
  it('names DATABASE_URL in one clear line when it is not a URL', async () => {
    const run = await dojo(['migrate'], { DATABASE_URL: 'not-a-url' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Interview Dojo cannot start: the environment has a problem.',
      '  DATABASE_URL must be a postgres:// or postgresql:// URL, or unset to use the embedded database',
    ]);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('says clearly when the database cannot be reached', async () => {
    const run = await dojo(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Could not open the database at DATABASE_URL: .*ECONNREFUSED/);
  });

  it('refuses to start a bot with no credentials and no terminal, instead of a playground that exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dojo-start-'));
    const run = await dojo(['start'], { DOJO_DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No Slack or Discord credentials and no terminal for the playground: set SLACK_BOT_TOKEN/)]);
    expect(run.stdout).toBe('');
  });

  it('refuses what would lose data in production: no DATABASE_URL, no credentials', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dojo-prod-'));
    const noDatabase = await dojo(['migrate'], { NODE_ENV: 'production', DOJO_DATA_DIR: dataDir });
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATABASE_URL is required in production \(NODE_ENV=production or on Fly\.io\)/)]);
    const onFly = await dojo(['start'], { FLY_APP_NAME: 'dojo', DISCORD_TOKEN: 'fake-bot-token.for-tests.only', DOJO_DATA_DIR: dataDir });
    expect(onFly.code).toBe(2);
    expect(onFly.stderr).toMatch(/^DATABASE_URL is required in production/m);
    const noCredentials = await dojo(['start'], { FLY_APP_NAME: 'dojo', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No Slack or Discord credentials in production/)]);
  });

  it('starts twice on the same embedded data: the second start finds it migrated and in sync', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dojo-start-'));
    // With a script on stdin (here one line), the playground reports its start on stderr.
    const first = await dojo(['playground'], { DOJO_DATA_DIR: dataDir }, { input: '@ada /dojo schedule set time:09:00\n' });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/configuration ok \(no Slack or Discord credentials/);
    expect(first.stderr).toMatch(/database: embedded PGlite in .*pglite \(\d+ migrations? applied\)/);
    expect(first.stderr).toMatch(/question bank: \d+ questions \(\d+ added, 0 updated, 0 retired\)/);
    expect(first.stdout).toMatch(/^#general Saved\. Question of the day: Mon–Fri at 09:00 UTC/);
    const second = await dojo(['playground'], { DOJO_DATA_DIR: dataDir }, { input: '@ada /dojo schedule show\n' });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/database: embedded PGlite in .*, up to date/);
    expect(second.stderr).toMatch(/question bank: \d+ questions, in sync/);
    // The schedule saved by the first run is still there.
    expect(second.stdout).toMatch(/^\(only @ada\) Question of the day: Mon–Fri at 09:00 UTC/);
  });

  it('makes the embedded database afresh after a first start that was stopped halfway', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dojo-start-'));
    // What a killed first start leaves: its child's staging directory (here something that looks made
    // but is not a database) and, from an older version, a data directory that was never finished.
    await mkdir(join(dataDir, '.first-start-1', 'pglite'), { recursive: true });
    await writeFile(join(dataDir, '.first-start-1', 'pglite', 'PG_VERSION'), '17\n');
    await mkdir(join(dataDir, 'pglite', 'base'), { recursive: true });
    const run = await dojo(['playground'], { DOJO_DATA_DIR: dataDir }, { input: '@ada /dojo schedule show\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/database: embedded PGlite in .*pglite \(\d+ migrations? applied\)/);
    expect(run.stderr).toMatch(/question bank: \d+ questions \(\d+ added, 0 updated, 0 retired\)/);
    expect(run.stderr).not.toMatch(/child process/);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.first-start'))).toEqual([]);
  });

  it('validates a pack folder: exit 1 with every problem, exit 0 with a summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-packs-'));
    await writeFile(
      join(dir, 'ops.yaml'),
      'pack: operations\ntitle: Ops\nquestions:\n  - id: ops-a\n    kind: open\n    category: technical\n    difficulty: hard\n    topics: [operations]\n    prompt: What is CI?\n',
    );
    const bad = await dojo(['questions', 'validate', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(dir, 'ops.yaml')}:7: questions[0].difficulty (ops-a) must be one of beginner, intermediate, advanced`);
    expect(bad.stderr).toContain(`${join(dir, 'ops.yaml')}:4: questions[0].key_points (ops-a) is required for open questions`);
    expect(bad.stderr).toMatch(/3 problems in 1 file\./);

    const good = await dojo(['questions', 'validate', join(import.meta.dirname, '../fixtures/packs')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('3 questions');
    expect(good.stdout).toMatch(/difficulty\s+advanced 1 · beginner 1 · intermediate 1/);
    expect(good.stdout).toMatch(/kind\s+choice 1 · open 2/);
  });

  it('lists questions with filters, and whole questions as JSON', async () => {
    const packs = join(import.meta.dirname, '../fixtures/packs');
    const json = await dojo(['questions', 'list', '--kind', 'choice', '--json', packs]);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: 'db-fixture-acid', kind: 'choice', difficulty: 'intermediate', topics: ['databases', 'transactions'], explanation: expect.any(String), options: expect.arrayContaining([{ text: 'Atomicity', correct: true, why: 'Atomicity makes a transaction all-or-nothing.' }]) }),
    ]);
    const text = await dojo(['questions', 'list', '--topic', 'indexing', packs]);
    expect(text.stdout).toMatch(/db-fixture-index\s+open\s+beginner/);
    expect(text.stdout).toContain('1 question.');
  });

  it('answers a bad option with usage help', async () => {
    const run = await dojo(['questions', 'list', '--difficulty', 'expert']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--difficulty must be one of beginner, intermediate, advanced\.\n\nUsage:/);
    const unknown = await dojo(['questions', 'list', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--colour'/);
    expect(unknown.stderr).toContain('Usage:');
  });
});
