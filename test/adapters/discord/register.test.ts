import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import type { Io } from '../../../src/cli/io.js';
import { FakeDiscord } from '../../fakes/discord/index.js';

interface Option {
  name: string;
  type: number;
  options?: Option[];
  choices?: { value: string }[];
  autocomplete?: boolean;
  required?: boolean;
}

describe('dojo discord register', () => {
  let fake: FakeDiscord;
  const lines: string[] = [];
  const io = (env: Record<string, string>): Io => ({
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    env,
    cwd: process.cwd(),
    stdin: Readable.from([]),
    interactive: false,
    color: false,
    waitForSignal: () => new Promise(() => {}),
  });

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => fake.stop());

  it('puts /dojo with subcommands, typed options, fixed choices and topic autocomplete in one guild', async () => {
    const env = { DISCORD_TOKEN: 'fake-bot-token.for-tests.only', DISCORD_API_URL: fake.apiUrl };
    expect(await run(['discord', 'register', '--guild', fake.guild.id], io(env))).toBe(0);
    expect(lines.at(-1)).toMatch(/^Registered \/dojo \(\d+ subcommands\) in server \d+; it is available there now\.$/);
    // Without DISCORD_APPLICATION_ID, the application is read from Discord.
    expect(fake.calls('GET', /^\/applications\/@me$/)).toHaveLength(1);
    const put = fake.commands.at(-1)!;
    expect(put.route).toBe(`/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`);
    const [dojo] = put.body as { name: string; options: Option[]; contexts: number[] }[];
    expect(dojo!.name).toBe('dojo');
    expect(dojo!.contexts).toEqual([0]);
    const names = dojo!.options.map((o) => o.name);
    for (const sub of ['help', 'quiz', 'question', 'leaderboard', 'stats', 'review', 'schedule', 'mentor', 'season', 'add-question', 'practice', 'forget-me', 'export']) expect(names).toContain(sub);
    const sub = (name: string) => dojo!.options.find((o) => o.name === name)!;
    const quiz = sub('quiz').options!;
    expect(quiz.find((o) => o.name === 'topic')).toMatchObject({ type: 3, autocomplete: true });
    expect(quiz.find((o) => o.name === 'difficulty')!.choices!.map((c) => c.value)).toEqual(['beginner', 'intermediate', 'advanced']);
    expect(quiz.find((o) => o.name === 'count')).toMatchObject({ type: 4, min_value: 1, max_value: 10 });
    expect(sub('leaderboard').options!.find((o) => o.name === 'period')!.choices!.map((c) => c.value)).toEqual(['week', 'month', 'season', 'all']);
    expect(sub('leaderboard').options!.find((o) => o.name === 'board')!.choices!.map((c) => c.value)).toEqual(['league', 'all', 'improved', 'best', 'channels']);
    expect(sub('schedule')).toMatchObject({ type: 2 });
    const add = sub('mentor').options!.find((o) => o.name === 'add')!.options!;
    expect(add.slice(0, 2)).toMatchObject([{ name: 'member', type: 6 }, { name: 'group', type: 8 }]);
  });

  it('registers globally without --guild, and explains a missing token', async () => {
    const env = { DISCORD_TOKEN: 'fake-bot-token.for-tests.only', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl };
    expect(await run(['discord', 'register'], io(env))).toBe(0);
    expect(fake.commands.at(-1)!.route).toBe(`/applications/${fake.applicationId}/commands`);
    expect(lines.at(-1)).toMatch(/globally/);
    expect(await run(['discord', 'register'], io({}))).toBe(2);
    expect(lines.join('\n')).toMatch(/DISCORD_TOKEN is not set/);
    expect(await run(['discord', 'register', '--guild', 'abc'], io(env))).toBe(2);
  });
});
