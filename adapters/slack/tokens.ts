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

/** A copy of the installation with each secret field (tokens, refresh tokens, the webhook URL) mapped. */
function mapSecrets(installation: Installation, fn: (value: string, context: string) => string): Installation {
  const copy = structuredClone(installation);
  const { bot, user, incomingWebhook } = copy;
  if (typeof bot?.token === 'string') bot.token = fn(bot.token, 'bot.token');
  if (typeof bot?.refreshToken === 'string') bot.refreshToken = fn(bot.refreshToken, 'bot.refreshToken');
  if (typeof user?.token === 'string') user.token = fn(user.token, 'user.token');
  if (typeof user?.refreshToken === 'string') user.refreshToken = fn(user.refreshToken, 'user.refreshToken');
  if (typeof incomingWebhook?.url === 'string') incomingWebhook.url = fn(incomingWebhook.url, 'incomingWebhook.url');
  return copy;
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
