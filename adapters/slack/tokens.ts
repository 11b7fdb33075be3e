/**
 * The secrets inside a stored Slack installation: which fields are sealed at rest (src/secrets.ts),
 * and token rotation. With rotation on, Slack's bot tokens expire after 12 hours and come with a
 * single-use refresh token; like @slack/oauth's InstallProvider.authorize, a token that expires within
 * two hours is exchanged through oauth.v2.access (grant_type=refresh_token) before it is used.
 */
import type { Installation } from '@slack/oauth';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SecretBox } from '../../src/secrets.js';

/** Refresh when the token has this little left (seconds), as @slack/oauth does. */
export const EXPIRY_WINDOW_S = 7200;

const SECRET_FIELDS = [
  ['bot', 'token'],
  ['bot', 'refreshToken'],
  ['user', 'token'],
  ['user', 'refreshToken'],
  ['incomingWebhook', 'url'],
] as const;

type Fields = Record<string, Record<string, unknown> | undefined>;

function mapSecrets(installation: Installation, fn: (value: string, context: string) => string): Installation {
  const copy = structuredClone(installation) as unknown as Fields;
  for (const [part, field] of SECRET_FIELDS) {
    const holder = copy[part];
    const value = holder?.[field];
    if (holder && typeof value === 'string') holder[field] = fn(value, `${part}.${field}`);
  }
  return copy as unknown as Installation;
}

/** The installation with its secrets sealed for the row `id`. */
export function sealInstallation(box: SecretBox, id: string, installation: Installation): Installation {
  return mapSecrets(installation, (value, field) => box.seal(value, `slack_installation/${id}/${field}`));
}

/** The installation with its secrets opened; `stale` when any was not sealed under the current key. */
export function openInstallation(box: SecretBox, id: string, stored: Installation): { installation: Installation; stale: boolean } {
  let stale = false;
  const installation = mapSecrets(stored, (value, field) => {
    const opened = box.open(value, `slack_installation/${id}/${field}`);
    stale ||= opened.stale;
    return opened.value;
  });
  return { installation, stale };
}

/** Whether the bot token expires within the window (or has expired); false without rotation. */
export function botTokenExpiring(installation: Installation, nowS: number): boolean {
  const { refreshToken, expiresAt } = installation.bot ?? {};
  return Boolean(refreshToken) && typeof expiresAt === 'number' && expiresAt - nowS <= EXPIRY_WINDOW_S;
}

export interface Rotation {
  clientId: string;
  clientSecret: string;
  clientOptions: WebClientOptions;
}

/** Exchanges the bot's refresh token for a new token pair; the installation with them, to store. */
export async function refreshBotToken(rotation: Rotation, installation: Installation, nowS: number): Promise<Installation> {
  const bot = installation.bot;
  if (!bot?.refreshToken) throw new Error('the installation has no refresh token');
  const client = new WebClient(undefined, rotation.clientOptions);
  const result = await client.oauth.v2.access({
    client_id: rotation.clientId,
    client_secret: rotation.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: bot.refreshToken,
  });
  if (!result.access_token || !result.refresh_token || result.expires_in === undefined) {
    throw new Error('oauth.v2.access did not return a new token pair');
  }
  return { ...installation, bot: { ...bot, token: result.access_token, refreshToken: result.refresh_token, expiresAt: nowS + result.expires_in } };
}
