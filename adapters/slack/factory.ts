/**
 * The Slack adapter as the server starts it (src/adapters.ts): from the configuration's SLACK_*
 * variables, its routes mounted under /slack on the bot's one HTTP server.
 */
import type { Config } from '../../src/config.js';
import type { Connected } from '../../src/db/index.js';
import type { Logger } from '../../src/log.js';
import type { Adapter } from '../../src/main.js';
import { secretBox } from '../../src/secrets.js';
import { platformObserver, type Metrics } from '../../src/metrics.js';
import { createSlackAdapter } from './index.js';

/** Keeps acks on PGlite within the 100 ms the bench holds them to (issue 13), with room for the event loop. */
const PGLITE_ANSWER_BUDGET_MS = 50;

export async function slackAdapterFactory(config: Config, db: Connected, log: Logger, metrics?: Metrics): Promise<Adapter | undefined> {
  if (!config.slack) return undefined;
  const slack = config.slack;
  const adapter = createSlackAdapter({
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
    appToken: slack.appToken,
    apiUrl: slack.apiUrl,
    ...(slack.oauth ? { oauth: { ...slack.oauth, db: db.db, secrets: secretBox(config.encryption) } } : {}),
    log,
    // On the embedded database a slow query holds up every other one: acks wait for it only briefly.
    ...(db.kind === 'pglite' ? { answerBudgetMs: PGLITE_ANSWER_BUDGET_MS } : {}),
    ...(metrics ? { observer: platformObserver(metrics, 'slack') } : {}),
  });
  return {
    platform: 'slack',
    chat: adapter.chat,
    routes: {
      '/slack': (req, res) => {
        if (!adapter.handleHttp(req, res)) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      },
    },
    start: (dojo) => adapter.start(dojo),
    stop: () => adapter.stop(),
    problem: () => adapter.problem(),
  };
}
