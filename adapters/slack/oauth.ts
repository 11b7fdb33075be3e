/**
 * Distribution: the OAuth install flow of @slack/oauth, served on the bot's one HTTP server.
 * `GET /slack/install` shows the "Add to Slack" page (and sets the state cookie that protects the flow);
 * `GET /slack/oauth_redirect` exchanges the code (oauth.v2.access) and stores the installation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InstallProvider, type Installation, type InstallationStore } from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';
import { message, type OutMessage } from '../../src/core/messages.js';
import type { Logger } from '../../src/log.js';
import { boltLogger } from './logger.js';
import { INSTALL_PATH, REDIRECT_PATH } from './paths.js';

/** The bot scopes the app asks for (the manifest lists the same). */
export const BOT_SCOPES = [
  'commands', // /dojo
  'chat:write', // cards, closes, replies, boards
  'im:write', // direct messages: feedback, reminders, admin notices
  'channels:history', // answers in threads of public channels
  'groups:history', // ... and of private channels
  'users:read', // display names and who is a workspace admin
  'reactions:write', // ✅ on a thread answer once it is recorded
  'files:write', // the CSV of /dojo export, sent privately
  'usergroups:read', // user groups an admin maps to mentors or admins (/dojo mentor add @group)
];


export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Signs the `state` parameter of the flow. */
  stateSecret: string;
  /** The public redirect URL (`https://host/slack/oauth_redirect`); Slack's app settings name the same. */
  redirectUri?: string;
  scopes?: string[];
}

/** What the person who installed the app reads first: the way to the first question of the day. */
export const WELCOME: OutMessage = message([
  { type: 'header', text: 'Thanks for installing Interview Dojo' },
  { type: 'text', text: 'Three steps to the first question of the day:' },
  {
    type: 'list',
    ordered: true,
    items: [
      'Invite me to a channel: /invite @Interview Dojo',
      'In that channel, set the schedule: /dojo schedule set days:mon-fri time:09:00 tz:Europe/Berlin',
      'Appoint a mentor to review answers: /dojo mentor add @someone',
    ],
  },
  { type: 'context', text: 'Want to try it now? /dojo quiz count:3 runs a quick quiz. /dojo help lists everything.' },
]);

export interface Installer {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createInstaller(
  options: OAuthOptions & { store: InstallationStore; clientOptions: WebClientOptions; log: Logger; onInstalled?: (installation: Installation) => void },
): Installer {
  const { log } = options;
  const provider = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateSecret: options.stateSecret,
    installationStore: options.store,
    logger: boltLogger(log.child({ component: 'slack-oauth' })),
    clientOptions: options.clientOptions,
    authorizationUrl: authorizationUrl(options.clientOptions.slackApiUrl),
    renderHtmlForInstallPath: (url) =>
      document(
        'Add Interview Dojo to Slack',
        `<p>Interview Dojo posts a backend interview question of the day, runs quizzes in threads and lets mentors review answers.</p><p><a id="add-to-slack" href="${html(url)}">Add to Slack</a></p>`,
      ),
  });
  const urlOptions = { scopes: options.scopes ?? BOT_SCOPES, ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}) };

  const page = (res: ServerResponse, status: number, title: string, body: string) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(document(title, body));
  };

  return {
    handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET' || (path !== INSTALL_PATH && path !== REDIRECT_PATH)) return false;
      const work =
        path === INSTALL_PATH
          ? provider.handleInstallPath(req, res, {}, urlOptions)
          : provider.handleCallback(req, res, {
              success: (installation, _options, _req, response) => {
                const team = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
                log.info({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id }, 'slack app installed');
                options.onInstalled?.(installation);
                page(response, 200, 'Interview Dojo is installed', `<p>Interview Dojo is now part of ${html(team)}.</p><p>Invite it to a channel (<code>/invite @Interview Dojo</code>), then type <code>/dojo help</code> there. An admin sets the question of the day with <code>/dojo schedule set</code>.</p>`);
              },
              failure: (error, _options, _req, response) => {
                log.warn({ code: error.code, err: error }, 'slack install failed');
                page(response, 400, 'The installation did not finish', '<p>Slack did not confirm the installation (it may have been cancelled or taken too long). Please start again from the install link.</p>');
              },
            });
      work.catch((error: unknown) => {
        log.error({ err: error }, 'slack install page failed');
        if (!res.headersSent) page(res, 500, 'Something went wrong', '<p>Please try again in a moment.</p>');
      });
      return true;
    },
  };
}

/**
 * Where the installer approves the app: on the host of SLACK_API_URL (GovSlack's slack-gov.com, a
 * test fake), https://slack.com by default.
 */
export function authorizationUrl(apiUrl = 'https://slack.com/api/'): string {
  return new URL('/oauth/v2/authorize', apiUrl).toString();
}

function document(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${html(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:4em auto"><h1>${html(title)}</h1>${body}</body></html>`;
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
