/**
 * The Slack app manifest (https://api.slack.com/reference/manifests) for `dojo slack manifest`: one
 * paste in "Create New App → From an app manifest" gives the /dojo command, the scopes, the events,
 * interactivity and the OAuth redirect, all pointing at this deployment.
 */
import { BOT_SCOPES } from './oauth.js';
import { EVENTS_PATH, REDIRECT_PATH } from './paths.js';

export interface ManifestOptions {
  /** The public base URL of the deployment, e.g. https://dojo.example.com (HTTP mode). */
  url?: string;
  name?: string;
  /** Socket Mode: no public request URLs needed. */
  socketMode?: boolean;
}

export const BOT_EVENTS = ['app_home_opened', 'app_uninstalled', 'message.channels', 'message.groups', 'tokens_revoked'];

export function appManifest(options: ManifestOptions): Record<string, unknown> {
  const name = (options.name ?? 'Interview Dojo').slice(0, 35);
  const base = options.url?.replace(/\/+$/, '');
  const requestUrl = base && !options.socketMode ? `${base}${EVENTS_PATH}` : undefined;
  const at = (url: string | undefined) => (url ? { url } : {});
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Backend interview practice: a question of the day, quizzes in threads, mentor reviews and leaderboards.',
      background_color: '#1d3557',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: name, always_online: true },
      slash_commands: [
        {
          command: '/dojo',
          ...at(requestUrl),
          description: 'Interview practice: quizzes, questions, reviews, boards',
          usage_hint: 'help · quiz topic:databases count:5 · question · leaderboard · review',
          should_escape: true,
        },
      ],
    },
    oauth_config: {
      ...(base ? { redirect_urls: [`${base}${REDIRECT_PATH}`] } : {}),
      scopes: { bot: BOT_SCOPES },
    },
    settings: {
      event_subscriptions: { ...(requestUrl ? { request_url: requestUrl } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode === true,
      token_rotation_enabled: false,
    },
  };
}
