import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs with no configuration at all: embedded database, port 3000, UTC, no platforms', () => {
    expect(loadConfig({})).toEqual({
      database: { url: undefined, directUrl: undefined, dataDir: './.dojo', poolMax: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 15_000, lockTimeoutMs: 5_000 },
      production: false,
      warnings: [],
      port: 3000,
      slack: undefined,
      discord: undefined,
      timezone: 'UTC',
      logLevel: undefined,
    });
  });

  it('knows it runs as a server on Fly or with NODE_ENV=production, and reads the database settings', () => {
    expect(loadConfig({ FLY_APP_NAME: 'dojo' }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
    const config = loadConfig({ DATABASE_URL: 'postgres://a@pgbouncer.x.flympg.net/db', DATABASE_DIRECT_URL: 'postgres://a@direct.x.flympg.net/db', DATABASE_STATEMENT_TIMEOUT_MS: '3000' });
    expect(config.database).toMatchObject({ directUrl: 'postgres://a@direct.x.flympg.net/db', statementTimeoutMs: 3000, lockTimeoutMs: 5000 });
    expect(problems({ DATABASE_DIRECT_URL: 'postgres://a@direct/db' })).toEqual([expect.stringMatching(/^DATABASE_URL is required when DATABASE_DIRECT_URL is set/)]);
    expect(problems({ DATABASE_LOCK_TIMEOUT_MS: '5s' })).toEqual(['DATABASE_LOCK_TIMEOUT_MS must be milliseconds from 100 to 600000']);
  });

  it('warns about a variable that is set but ignored', () => {
    expect(loadConfig({ SLACK_REDIRECT_URL: 'https://dojo.example.com/slack/oauth_redirect' }).warnings).toEqual([
      'SLACK_REDIRECT_URL is ignored without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET',
    ]);
  });

  it('reads every variable of the contract', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/dojo',
      DOJO_DATA_DIR: '/var/dojo',
      PORT: '8080',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef',
      SLACK_APP_TOKEN: 'xapp-1-A-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      DISCORD_TOKEN: 'discord-token-0123456789',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:9998/api',
      DOJO_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      database: { url: 'postgres://u:p@db:5432/dojo', dataDir: '/var/dojo' },
      port: 8080,
      slack: { botToken: 'xoxb-1-2-abc', appToken: 'xapp-1-A-abc', apiUrl: 'http://127.0.0.1:9999/api/' },
      discord: { applicationId: '123456789012345678', apiUrl: 'http://127.0.0.1:9998/api', threadAnswers: false },
      timezone: 'Europe/Berlin',
      logLevel: 'debug',
    });
  });

  it('names each bad variable on its own line and says what is expected', () => {
    expect(problems({ DATABASE_URL: 'not-a-url', PORT: '99999', DOJO_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'loud' })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL, or unset to use the embedded database',
      'PORT must be a port number from 1 to 65535',
      'DOJO_TIMEZONE must be an IANA time zone such as Europe/Berlin or UTC',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(problems({ PORT: 'abc' })).toEqual(['PORT must be a port number from 1 to 65535']);
  });

  it('checks variables that only make sense together', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN (Socket Mode) is set',
    ]);
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_BOT_TOKEN is required when other SLACK_* variables are set (or the install flow: SLACK_CLIENT_ID, ...)']);
    expect(problems({ SLACK_CLIENT_ID: '1234.5678' })).toEqual([
      'SLACK_CLIENT_SECRET is required for the Slack install flow (with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET)',
      'SLACK_STATE_SECRET is required for the Slack install flow (with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET)',
      'SLACK_SIGNING_SECRET is required for the Slack install flow (with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET)',
      'DOJO_ENCRYPTION_KEY is required for the Slack install flow: it encrypts the stored bot tokens (openssl rand -base64 32)',
    ]);
    expect(loadConfig({ SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'c'.repeat(32), SLACK_STATE_SECRET: 's'.repeat(20), SLACK_SIGNING_SECRET: 'ab'.repeat(16), DOJO_ENCRYPTION_KEY: 'k'.repeat(43) + '=' }).slack).toMatchObject({ botToken: undefined, oauth: { clientId: '1234.5678' } });
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('reads the direct database URL, the shard count and the encryption keys', () => {
    const key = 'ab'.repeat(32);
    const config = loadConfig({ DATABASE_URL: 'postgres://pool:6432/db', DATABASE_DIRECT_URL: 'postgres://direct:5432/db', DISCORD_TOKEN: 'x'.repeat(30), DISCORD_SHARDS: '4', DOJO_ENCRYPTION_KEY: key });
    expect(config.database).toMatchObject({ url: 'postgres://pool:6432/db', directUrl: 'postgres://direct:5432/db' });
    expect(config.discord?.shards).toBe(4);
    expect(config.encryption).toEqual({ key, oldKey: undefined });
    expect(problems({ DISCORD_SHARDS: '0', DOJO_ENCRYPTION_KEY: 'short', DATABASE_URL: 'postgres://pool:6432/db', DATABASE_DIRECT_URL: 'http://x' })).toEqual([
      'DATABASE_DIRECT_URL must be a postgres:// or postgresql:// URL to the database itself (not a transaction-mode pooler)',
      'DISCORD_SHARDS must be a whole number of gateway shards from 1 to 1024, or unset to ask Discord',
      'DOJO_ENCRYPTION_KEY must be 32 random bytes in base64 or hex (openssl rand -base64 32)',
    ]);
    expect(problems({ DOJO_ENCRYPTION_KEY_OLD: key })).toEqual(['DOJO_ENCRYPTION_KEY is required when DOJO_ENCRYPTION_KEY_OLD is set (the old key only reads; the new one writes)']);
  });

  it('never repeats a secret in its messages', () => {
    const secret = 'xoxp-very-secret-user-token';
    const lines = problems({ SLACK_BOT_TOKEN: secret, DISCORD_TOKEN: 'short' });
    expect(lines).toEqual([
      'SLACK_BOT_TOKEN must be a Slack bot token (starts with xoxb-)',
      'DISCORD_TOKEN must be a Discord bot token',
      'SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN (Socket Mode) is set',
    ]);
    expect(lines.join('\n')).not.toContain(secret);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).database.url).toBeUndefined();
  });
});
