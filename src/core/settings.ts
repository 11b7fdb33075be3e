/**
 * `/dojo settings`: the team's own settings. Today that is its time zone, which sets when boards'
 * weeks and months start, when a season's last day ends, and the zone of new schedules. It starts as
 * DOJO_TIMEZONE when the team is first seen; an admin changes it here.
 */
import { setTeamTimezone } from '../db/repos/settings.js';
import type { Intent } from './commands.js';
import type { Ctx } from './context.js';
import { announceText, type FlowOutcome } from './announce.js';
import { zoneWarning } from './time.js';

type SettingsIntent = Extract<Intent, { cmd: 'settings' | 'settings-set' }>;

export async function teamSettings(ctx: Ctx, intent: SettingsIntent): Promise<FlowOutcome> {
  if (intent.cmd === 'settings') {
    return {
      reply: {
        text: `Team settings · time zone ${ctx.team.timezone} (boards' weeks and months, season dates, new schedules). An admin changes it with /dojo settings tz:Europe/Berlin.`,
        visibility: 'ephemeral',
      },
    };
  }
  if (intent.timezone === ctx.team.timezone) return { reply: { text: `The team's time zone is already ${intent.timezone}.`, visibility: 'ephemeral' } };
  await setTeamTimezone(ctx.trx, ctx.team.id, intent.timezone);
  const warning = zoneWarning(intent.timezone);
  const text = `The team's time zone is now ${intent.timezone}: boards' weeks and months and season dates follow it. Each question of the day keeps its own tz:.${warning ? ` Note: ${warning}` : ''}`;
  return announceText(ctx, text, { failed: (reason) => `${text} (I couldn't say so in the channel: ${reason}.)` });
}
