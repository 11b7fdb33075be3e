/** The HTTP paths Slack (and an installing admin's browser) call on the bot's server. */
export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';
