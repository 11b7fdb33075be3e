/**
 * `dojo slack manifest`: the Slack app manifest for this deployment, ready to paste.
 * `dojo slack reencrypt`: stored installation tokens sealed again under DOJO_ENCRYPTION_KEY.
 */
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { reencryptInstallations } from '../../adapters/slack/installations.js';
import { appManifest } from '../../adapters/slack/manifest.js';
import { loadConfig } from '../config.js';
import { listSlackInstallationIds } from '../db/repos/slack-installations.js';
import { UsageError } from '../errors.js';
import { secretBox } from '../secrets.js';
import { openDatabase } from '../setup.js';
import { parseOrUsage } from './args.js';
import type { Io } from './io.js';

const USAGE = `Usage:
  dojo slack manifest --url https://your-host [--name "Interview Dojo"] [--json]
  dojo slack manifest --socket [--name "Interview Dojo"] [--json]
  dojo slack reencrypt

Prints a Slack app manifest: paste it at https://api.slack.com/apps → Create New App → From a manifest.
--url is where this bot is reachable (Slack calls /slack/events and /slack/oauth_redirect there);
--socket is for Socket Mode (SLACK_APP_TOKEN), which needs no public URL.

reencrypt seals every stored workspace token under DOJO_ENCRYPTION_KEY, reading the ones sealed
under DOJO_ENCRYPTION_KEY_OLD (or stored before encryption); afterwards the old key can go.`;

export async function slackCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'reencrypt') return reencrypt(rest, io);
  if (sub !== 'manifest') throw new UsageError(sub ? `Unknown slack command "${sub}".` : 'Which slack command?', USAGE);
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args: rest,
        allowPositionals: true,
        options: { url: { type: 'string' }, name: { type: 'string' }, socket: { type: 'boolean' }, json: { type: 'boolean' } },
      }),
    USAGE,
  );
  if (positionals.length) throw new UsageError(`Unexpected "${positionals.join(' ')}".`, USAGE);
  if (!values.url && !values.socket) throw new UsageError('Give the public URL of the bot with --url (or --socket for Socket Mode).', USAGE);
  if (values.url !== undefined && !isPublicUrl(values.url)) {
    throw new UsageError(`--url must be an https:// URL where Slack can reach the bot (got "${values.url}").`, USAGE);
  }
  const manifest = appManifest({ url: values.url, name: values.name, socketMode: values.socket === true });
  io.out(values.json ? JSON.stringify(manifest, null, 2) : stringify(manifest, { lineWidth: 0 }).trimEnd());
  return 0;
}

async function reencrypt(args: string[], io: Io): Promise<number> {
  if (args.length) throw new UsageError(`Unexpected "${args.join(' ')}".`, USAGE);
  const config = loadConfig(io.env);
  if (!config.encryption) throw new UsageError('Set DOJO_ENCRYPTION_KEY (the new key) and DOJO_ENCRYPTION_KEY_OLD (the one being replaced, if any).', USAGE);
  const db = await openDatabase(config);
  try {
    const ids = await listSlackInstallationIds(db.db);
    const changed = await reencryptInstallations(db.db, secretBox(config.encryption), ids, new Date());
    io.out(`Sealed ${changed} of ${ids.length} Slack installation(s) under DOJO_ENCRYPTION_KEY; the others were already.`);
    return 0;
  } finally {
    await db.close();
  }
}

function isPublicUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // Slack only calls https; plain http is fine for a local tunnel's address during development.
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(localhost|127\.0\.0\.1)$/.test(url.hostname));
  } catch {
    return false;
  }
}
