import { ApplicationCommandOptionType, type CommandInteractionOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { dojoCommand } from '../../../adapters/discord/commands.js';
import { commandIntent } from '../../../adapters/discord/intent.js';

type Opt = { name: string; type: number; options?: Opt[]; choices?: { value: string | number }[] };
const data = (d: unknown) => d as CommandInteractionOption[];

describe('Discord command options -> the core intent', () => {
  const sample = (o: Opt): string | number | boolean => {
    if (o.choices?.length) return o.choices.at(-1)!.value;
    switch (o.type) {
      case ApplicationCommandOptionType.Integer:
        return o.name === 'seconds' ? 60 : 3;
      case ApplicationCommandOptionType.Boolean:
        return true;
      case ApplicationCommandOptionType.User:
        return '123456789012345678';
      default:
        return ({ days: 'mon-fri', time: '09:00', tz: 'Europe/Berlin', cron: '0 9 * * 1-5', difficulty: 'weighted:1/2/1', topics: 'databases,caching', categories: 'technical', window: '8h', name: 'Winter 2026', until: '2027-03-01', topic: 'databases' } as Record<string, string>)[o.name] ?? 'x';
    }
  };
  const leaves = (o: Opt, path: Opt[] = []): Opt[][] =>
    o.type === ApplicationCommandOptionType.Subcommand ? [[...path, o]] : (o.options ?? []).flatMap((c) => leaves(c, [...path, o]));

  it('builds an intent for every subcommand with every option', () => {
    const command = dojoCommand() as { options?: Opt[] };
    const subs = (command.options ?? []).flatMap((o) => leaves(o));
    expect(subs.length).toBeGreaterThanOrEqual(20);
    for (const path of subs) {
      const sub = path.at(-1)!;
      // `member` and `group` (a server role) are alternatives: a person or everyone with a role.
      const values = (sub.options ?? []).filter((o) => o.name !== 'group').map((o) => ({ name: o.name, type: o.type, value: sample(o) }));
      let d: unknown[] = [{ name: sub.name, type: sub.type, options: values }];
      if (path.length === 2) d = [{ name: path[0]!.name, type: path[0]!.type, options: d }];
      const { words, parsed } = commandIntent(data(d));
      expect(parsed, words).toMatchObject({ ok: true });
    }
  });

  it('keeps quotes, angle brackets and pipes in values as typed', () => {
    const name = 'Winter "Cup" <2026> | “final”';
    const season = [{ name: 'season', type: 2, options: [{ name: 'start', type: 1, options: [{ name: 'name', type: 3, value: name }, { name: 'until', type: 3, value: '2027-03-01' }] }] }];
    expect(commandIntent(data(season))).toEqual({ words: 'season start', parsed: { ok: true, intent: { cmd: 'season-start', name, until: '2027-03-01' } } });
    const group = [{ name: 'mentor', type: 2, options: [{ name: 'add', type: 1, options: [{ name: 'group', type: 8, value: '77', role: { id: '77', name: 'Team <Mentors> "A|B"' } }, { name: 'role', type: 3, value: 'admin' }] }] }];
    expect(commandIntent(data(group)).parsed).toEqual({ ok: true, intent: { cmd: 'group-add', groupId: '77', groupName: 'Team <Mentors> "A|B"', role: 'admin' } });
    const mentor = [{ name: 'mentor', type: 2, options: [{ name: 'add', type: 1, options: [{ name: 'member', type: 6, value: '42' }, { name: 'role', type: 3, value: 'admin' }] }] }];
    expect(commandIntent(data(mentor)).parsed).toEqual({ ok: true, intent: { cmd: 'mentor-add', userId: '42', role: 'admin' } });
    expect(commandIntent(data([{ name: 'quiz-stop', type: 1, options: [] }]))).toEqual({ words: 'quiz-stop', parsed: { ok: true, intent: { cmd: 'quiz-stop' } } });
  });

  it('answers a bad value with the same friendly message as the text grammar', () => {
    const schedule = (options: unknown[]) => commandIntent(data([{ name: 'schedule', type: 2, options: [{ name: 'set', type: 1, options }] }])).parsed;
    expect(schedule([{ name: 'tz', type: 3, value: 'Mars/Olympus' }])).toEqual({
      ok: false,
      error: '"Mars/Olympus" is not a time zone I know; use an IANA name like America/New_York.',
      usage: 'Example: /dojo schedule set tz:Europe/Berlin',
    });
    expect(schedule([{ name: 'days', type: 3, value: 'mon-fir' }])).toMatchObject({ ok: false, error: expect.stringMatching(/^days must be day names/) });
    const season = commandIntent(data([{ name: 'season', type: 2, options: [{ name: 'start', type: 1, options: [{ name: 'name', type: 3, value: 'W' }, { name: 'until', type: 3, value: '2027-02-30' }] }] }])).parsed;
    expect(season).toMatchObject({ ok: false, error: '2027-02-30 is not a date on the calendar.', usage: expect.stringMatching(/^Usage: \/dojo season start/) });
    expect(commandIntent(data([{ name: 'mentor', type: 2, options: [{ name: 'add', type: 1, options: [] }] }])).parsed).toMatchObject({ ok: false, error: expect.stringMatching(/^Name one member or role with @/) });
    expect(commandIntent(data([{ name: 'quiz', type: 1, options: [{ name: 'count', type: 3, value: 'many' }] }])).parsed).toMatchObject({ ok: false, error: 'count has a value of the wrong kind; run the command again.' });
    expect(commandIntent(data([{ name: 'teleport', type: 1, options: [] }])).parsed).toMatchObject({ ok: false, error: '"teleport" is not a dojo command. Try /dojo help.' });
  });
});
