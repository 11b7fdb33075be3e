/**
 * A choice click in one round trip (issue 13): for a member whose rows are cached, the event receipt and
 * the pick are one statement checked against the team's version, with no transaction around it. Anything
 * but the plain case (rows not cached, the team changed, the round closed or gone, an unknown option, a
 * failure) writes nothing and returns undefined: the full path (dojo.ts) handles it as before.
 */
import { cachedForPick, pickAtOnce } from '../db/repos/choices.js';
import { teamKey } from '../db/repos/tenancy.js';
import { decodeAction } from './actions.js';
import { ephemeral } from './announce.js';
import type { Deps } from './context.js';
import { tenancyInput } from './hot-path.js';
import type { InboundEvent, Outcome } from './ports.js';
import { LETTERS } from './render.js';

export async function quickChoice(deps: Deps, event: InboundEvent): Promise<Outcome | undefined> {
  if (event.type !== 'button') return undefined;
  const action = decodeAction(event.action);
  if (action?.kind !== 'choice') return undefined;
  const letter = LETTERS[action.index];
  const input = tenancyInput(event, deps.defaultTimezone, deps.clock.now());
  const rows = letter ? cachedForPick(deps.db, input) : undefined;
  if (!letter || !rows) return undefined;
  const checkedAt = performance.now();
  const pick = await pickAtOnce(deps.db, {
    platform: event.team.platform,
    deliveryId: event.deliveryId ?? null,
    teamId: teamKey(event.team.platform, event.team.id),
    version: rows.team.tenancy_version,
    roundId: action.roundId,
    memberId: rows.member.id,
    index: action.index,
    body: letter,
    now: input.now,
  }).catch((error: unknown) => {
    deps.log.warn({ err: error, deliveryId: event.deliveryId }, 'a quick choice failed; taking the full path');
    return undefined;
  });
  if (!pick?.made) return undefined;
  rows.confirm(checkedAt);
  if (!pick.fresh) return { duplicate: true };
  if (pick.first) return ephemeral(`Got it: ${letter}. You can change it until the question closes.`);
  return ephemeral(pick.previous === action.index ? `You already picked ${letter}.` : `Changed to ${letter}.`);
}
