import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../../src/cli/index.js';
import type { Io } from '../../../src/cli/io.js';

async function dojo(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    cwd: process.cwd(),
    stdin: process.stdin,
    interactive: false,
    color: false,
    waitForSignal: () => Promise.resolve(),
  };
  const code = await run(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('dojo slack manifest', () => {
  it('prints a ready-to-paste manifest: /dojo, scopes, events, interactivity and OAuth URLs', async () => {
    const res = await dojo('slack', 'manifest', '--url', 'https://dojo.example.com/');
    expect(res.code).toBe(0);
    const m = parse(res.stdout);
    expect(m.features.slash_commands).toEqual([expect.objectContaining({ command: '/dojo', url: 'https://dojo.example.com/slack/events', should_escape: true })]);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'channels:history', 'groups:history', 'users:read', 'files:write', 'reactions:write']));
    expect(m.oauth_config.redirect_urls).toEqual(['https://dojo.example.com/slack/oauth_redirect']);
    expect(m.settings.event_subscriptions).toEqual({ request_url: 'https://dojo.example.com/slack/events', bot_events: expect.arrayContaining(['message.channels', 'message.groups', 'app_home_opened']) });
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://dojo.example.com/slack/events' });
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('prints JSON too, and a Socket Mode manifest without public URLs', async () => {
    const res = await dojo('slack', 'manifest', '--socket', '--json', '--name', 'Dojo Dev');
    expect(res.code).toBe(0);
    const m = JSON.parse(res.stdout);
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.display_information.name).toBe('Dojo Dev');
    expect(res.stdout).not.toContain('request_url');
  });

  it('explains what is missing or wrong', async () => {
    const none = await dojo('slack', 'manifest');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Give the public URL of the bot with --url/);
    const bad = await dojo('slack', 'manifest', '--url', 'ftp://x');
    expect(bad.stderr).toMatch(/--url must be an https:\/\/ URL/);
    expect((await dojo('slack', 'nope')).stderr).toMatch(/Unknown slack command "nope"/);
  });
});
