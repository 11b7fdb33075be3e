import { describe, expect, it } from 'vitest';
import { dojoCommand } from '../../adapters/discord/commands.js';
import { parseCommand } from '../../src/core/grammar.js';
import { commandFor, helpFor } from '../../src/core/help.js';

interface Option {
  name: string;
  type: number;
  options?: Option[];
}

const GROUPS = ['schedule', 'mentor', 'season', 'team-questions'];

/** Each `/dojo ...` the help names: its subcommand path (a group and its subcommand) and the option names it shows. */
function mentions(text: string): { path: string[]; options: string[]; segment: string }[] {
  return text
    .split(/\n| · |; /)
    .map((segment) => segment.split(' — ')[0]!.trim())
    .filter((segment) => segment.startsWith('/dojo '))
    .map((segment) => {
      const tokens = [...segment.slice('/dojo '.length).matchAll(/\[([^\]]+)\]|(\S+)/g)].map((m) => ({ bracketed: m[1] !== undefined, text: (m[1] ?? m[2])! }));
      const path: string[] = [];
      path.push(tokens.shift()!.text);
      if (GROUPS.includes(path[0]!) && tokens[0] && !tokens[0].bracketed) path.push(tokens.shift()!.text);
      const options = tokens.filter((t) => t.bracketed || t.text.includes(':')).map((t) => t.text.split(':')[0]!);
      return { path, options, segment };
    });
}

describe('help per platform', () => {
  it('every subcommand and option in the Discord help exists in the registered /dojo command', () => {
    const top = dojoCommand().options as Option[];
    const lines = helpFor('admin', 'options');
    const seen = mentions(lines.join('\n'));
    expect(seen.length).toBeGreaterThan(15);
    for (const { path, options } of seen) {
      let node: Option | undefined = { name: 'dojo', type: 0, options: top };
      for (const word of path) node = node?.options?.find((o) => o.name === word && (o.type === 1 || o.type === 2));
      expect(node?.type, `/dojo ${path.join(' ')} is a subcommand`).toBe(1);
      for (const option of options) expect(node!.options?.map((o) => o.name), `/dojo ${path.join(' ')} takes ${option}`).toContain(option);
    }
    expect(lines.join('\n')).not.toMatch(/\/dojo quiz stop/);
  });

  it('the Discord help names every option of each subcommand it shows, so none is hidden', () => {
    const top = dojoCommand().options as Option[];
    // Everything the help says about each subcommand (it may name one on two lines, like mentor add).
    const said = new Map<string, string>();
    for (const { path, segment } of mentions(helpFor('admin', 'options').join('\n'))) said.set(path.join(' '), `${said.get(path.join(' ')) ?? ''} ${segment}`);
    const missing: string[] = [];
    for (const [path, text] of said) {
      let node: Option | undefined = { name: 'dojo', type: 0, options: top };
      for (const word of path.split(' ')) node = node?.options?.find((o) => o.name === word && (o.type === 1 || o.type === 2));
      for (const option of node?.options ?? []) if (!new RegExp(`[[ |]${option.name}[\\]:]`).test(text)) missing.push(`/dojo ${path} ${option.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('every command the text help names is one the text grammar knows', () => {
    const seen = mentions(helpFor('admin', 'text').join('\n'));
    expect(helpFor('admin', 'text').join('\n')).toContain('/dojo quiz stop');
    for (const { path } of seen) {
      const parsed = parseCommand(path.join(' '));
      if (!parsed.ok) expect(parsed.error, path.join(' ')).not.toMatch(/is not a dojo command/);
    }
    expect(parseCommand('quiz stop')).toEqual({ ok: true, intent: { cmd: 'quiz-stop' } });
  });

  it('names quiz-stop the way each platform takes it', () => {
    expect(commandFor('text', 'quiz stop')).toBe('/dojo quiz stop');
    expect(commandFor('options', 'quiz stop')).toBe('/dojo quiz-stop');
  });
});
