/**
 * The only reader of process.env. One zod schema for every variable of the external contract; a bad
 * value is reported as one line per variable, naming it and what is expected, never echoing the value
 * (several of these are secrets).
 */
import { DojoError } from './core/errors.js';
import { z } from 'zod';
import { canonicalZone, isTimeZone } from './core/time.js';
import { decodeKey } from './secrets.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;


function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

const httpUrl = (what: string) => z.string().refine(isHttpUrl, `must be an http(s) URL (${what})`);

// 32 random bytes, base64 or hex (`openssl rand -base64 32`): the AES-256-GCM key for secrets at rest.
const encryptionKey = z.string().refine((v) => {
  try {
    return /^([0-9a-f]{64}|[A-Za-z0-9+/]{43}=?)$/i.test(v) && decodeKey(v).length === 32;
  } catch {
    return false;
  }
}, 'must be 32 random bytes in base64 or hex (openssl rand -base64 32)');

const ms = (expected: string, min: number, max: number) =>
  z.coerce.number({ message: `must be ${expected}` }).int(`must be ${expected}`).min(min, `must be ${expected}`).max(max, `must be ${expected}`);

const schema = z
  .object({
    DATABASE_URL: z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL, or unset to use the embedded database')
      .optional(),
    DATABASE_DIRECT_URL: z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL to the database itself (not a transaction-mode pooler)')
      .optional(),
    DATABASE_POOL_MAX: ms('a pool size from 1 to 100', 1, 100).default(10),
    DATABASE_CONNECT_TIMEOUT_MS: ms('milliseconds from 100 to 600000', 100, 600_000).default(5_000),
    DATABASE_STATEMENT_TIMEOUT_MS: ms('milliseconds from 100 to 600000', 100, 600_000).default(15_000),
    DATABASE_LOCK_TIMEOUT_MS: ms('milliseconds from 100 to 600000', 100, 600_000).default(5_000),
    DOJO_DATA_DIR: z.string().min(1).default('./.dojo'),
    NODE_ENV: z.string().optional(),
    FLY_APP_NAME: z.string().optional(),
    PORT: z.coerce
      .number({ message: 'must be a port number from 1 to 65535' })
      .int('must be a port number from 1 to 65535')
      .min(1, 'must be a port number from 1 to 65535')
      .max(65535, 'must be a port number from 1 to 65535')
      .default(3000),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a Slack bot token (starts with xoxb-)').optional(),
    SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hex signing secret from the Slack app settings').optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be a Slack app-level token (starts with xapp-) for Socket Mode').optional(),
    SLACK_API_URL: httpUrl('the Slack Web API base, e.g. https://slack.com/api/').optional(),
    SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, 'must be the Client ID from the Slack app settings (like 1234.5678)').optional(),
    SLACK_CLIENT_SECRET: z.string().min(16, 'must be the Client Secret from the Slack app settings').optional(),
    SLACK_STATE_SECRET: z.string().min(16, 'must be a random string of 16 characters or more (it signs the install flow)').optional(),
    SLACK_REDIRECT_URL: httpUrl('the public https://host/slack/oauth_redirect').optional(),
    DISCORD_TOKEN: z.string().min(20, 'must be a Discord bot token').optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{15,22}$/, 'must be a Discord application id (a number like 123456789012345678)').optional(),
    DISCORD_API_URL: httpUrl('the Discord REST base, e.g. https://discord.com/api').optional(),
    DISCORD_SHARDS: z.coerce
      .number({ message: 'must be a whole number of gateway shards from 1 to 1024, or unset to ask Discord' })
      .int('must be a whole number of gateway shards from 1 to 1024, or unset to ask Discord')
      .min(1, 'must be a whole number of gateway shards from 1 to 1024, or unset to ask Discord')
      .max(1024, 'must be a whole number of gateway shards from 1 to 1024, or unset to ask Discord')
      .optional(),
    DISCORD_THREAD_ANSWERS: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false (thread replies as answers need the Message Content intent)' })
      .optional(),
    DOJO_ENCRYPTION_KEY: encryptionKey.optional(),
    DOJO_ENCRYPTION_KEY_OLD: encryptionKey.optional(),
    DOJO_TIMEZONE: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC')
      .transform((zone) => canonicalZone(zone) ?? zone)
      .default('UTC'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  })
  .superRefine((env, ctx) => {
    const oauth = env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET;
    if (oauth) {
      for (const key of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required for the Slack install flow (with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET)' });
      }
      // Installed workspaces' tokens are stored in the database: never in the clear.
      if (!env.DOJO_ENCRYPTION_KEY) ctx.addIssue({ code: 'custom', path: ['DOJO_ENCRYPTION_KEY'], message: 'is required for the Slack install flow: it encrypts the stored bot tokens (openssl rand -base64 32)' });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET && !oauth) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN (Socket Mode) is set',
      });
    }
    if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN && !oauth) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when other SLACK_* variables are set (or the install flow: SLACK_CLIENT_ID, ...)' });
    }
    if (env.DOJO_ENCRYPTION_KEY_OLD && !env.DOJO_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DOJO_ENCRYPTION_KEY'], message: 'is required when DOJO_ENCRYPTION_KEY_OLD is set (the old key only reads; the new one writes)' });
    }
    if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when DATABASE_DIRECT_URL is set (the direct URL only serves migrations and locks)' });
    }
    if (env.DISCORD_APPLICATION_ID && !env.DISCORD_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_TOKEN'], message: 'is required when DISCORD_APPLICATION_ID is set' });
    }
  });

type Env = z.output<typeof schema>;

/** Every variable the bot reads (.env.example lists them all; a test checks it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  database: {
    url?: string;
    /** A session (not transaction-pooled) connection for migrations and advisory locks; else `url`. */
    directUrl?: string;
    dataDir: string;
    poolMax: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    lockTimeoutMs: number;
  };
  /** Runs as a server (NODE_ENV=production or on Fly): missing database or credentials are errors. */
  production: boolean;
  /** Variables that are set but do nothing in this configuration, one line each (logged at start). */
  warnings: string[];
  port: number;
  slack?: {
    /** One workspace's token; absent when only the install flow (oauth) serves workspaces. */
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    oauth?: { clientId: string; clientSecret: string; stateSecret: string; redirectUri?: string };
  };
  /** `shards` (DISCORD_SHARDS) overrides the count Discord recommends. */
  discord?: { token: string; applicationId?: string; apiUrl?: string; threadAnswers: boolean; shards?: number };
  /** Keys for secrets at rest (Slack bot tokens): `key` encrypts and reads, `oldKey` only reads. */
  encryption?: { key: string; oldKey?: string };
  timezone: string;
  /** Undefined means "not chosen": each command picks a sensible default. */
  logLevel?: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends DojoError {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Reads the configuration from an environment (process.env by default). Throws ConfigError. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty variable (FOO= in a .env file) means "unset", as most deploy tools intend.
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  return toConfig(parsed.data);
}

/** Set but ignored: worth a warning, not a refusal (the bot works, just not as the operator meant). */
function ignored(env: Env): string[] {
  const warnings: string[] = [];
  const oauth = env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET;
  if (env.SLACK_REDIRECT_URL && !oauth) warnings.push('SLACK_REDIRECT_URL is ignored without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET');
  if (env.SLACK_API_URL && !env.SLACK_BOT_TOKEN && !oauth) warnings.push('SLACK_API_URL is ignored without Slack credentials');
  if ((env.DISCORD_API_URL || env.DISCORD_THREAD_ANSWERS) && !env.DISCORD_TOKEN) warnings.push('DISCORD_API_URL and DISCORD_THREAD_ANSWERS are ignored without DISCORD_TOKEN');
  if (env.DATABASE_URL && env.DOJO_DATA_DIR !== './.dojo') warnings.push('DOJO_DATA_DIR holds only the playground’s pictures when DATABASE_URL is set');
  return warnings;
}

function toConfig(env: Env): Config {
  return {
    database: {
      url: env.DATABASE_URL,
      directUrl: env.DATABASE_DIRECT_URL,
      dataDir: env.DOJO_DATA_DIR,
      poolMax: env.DATABASE_POOL_MAX,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
    },
    production: env.NODE_ENV === 'production' || Boolean(env.FLY_APP_NAME),
    warnings: ignored(env),
    port: env.PORT,
    slack:
      env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID
        ? {
            botToken: env.SLACK_BOT_TOKEN,
            signingSecret: env.SLACK_SIGNING_SECRET,
            appToken: env.SLACK_APP_TOKEN,
            apiUrl: env.SLACK_API_URL,
            ...(env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
              ? { oauth: { clientId: env.SLACK_CLIENT_ID, clientSecret: env.SLACK_CLIENT_SECRET, stateSecret: env.SLACK_STATE_SECRET, redirectUri: env.SLACK_REDIRECT_URL } }
              : {}),
          }
        : undefined,
    discord: env.DISCORD_TOKEN
      ? {
          token: env.DISCORD_TOKEN,
          applicationId: env.DISCORD_APPLICATION_ID,
          apiUrl: env.DISCORD_API_URL,
          threadAnswers: ['true', '1', 'yes'].includes(env.DISCORD_THREAD_ANSWERS ?? 'false'),
          shards: env.DISCORD_SHARDS,
        }
      : undefined,
    encryption: env.DOJO_ENCRYPTION_KEY ? { key: env.DOJO_ENCRYPTION_KEY, oldKey: env.DOJO_ENCRYPTION_KEY_OLD } : undefined,
    timezone: env.DOJO_TIMEZONE,
    logLevel: env.LOG_LEVEL,
  };
}
