/**
 * The opt-in daily practice DM: `/dojo practice daily 08:30 tz:Europe/Berlin` sends the member their
 * most overdue question (or a new one) every day at that local time, `/dojo practice off` stops it. Due
 * DMs live in Postgres (`next_at`), claimed with SKIP LOCKED by the tick so two instances send each once,
 * and go out through the outbox; croner computes the next local time, so daylight-saving changes keep it.
 */
import { claimDueReminders, deleteReminder, reminderOf, saveReminder, setReminderNext } from '../db/repos/practice.js';
import { findTeam } from '../db/repos/tenancy.js';
import { ephemeral } from './announce.js';
import { teamRefOf, type Ctx, type Work } from './context.js';
import { commandFor } from './help.js';
import { capabilitiesOf } from './ports.js';
import { send } from './outbox.js';
import { message, type Block } from './messages.js';
import { pickPractice } from './practice-cards.js';
import { nextButton, practiceQuestionBlocks } from './practice-render.js';
import type { ChatCapabilities, Outcome } from './ports.js';
import { nextRun, type Recurrence } from './recurrence.js';
import { waitText } from './spaced.js';
import { formatLocal } from './time.js';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const rule = (time: string, timezone: string): Recurrence => ({ days: EVERY_DAY, time, timezone });

const styleOf = (ctx: Ctx): ChatCapabilities['commandStyle'] => capabilitiesOf(ctx.deps.chat, ctx.teamRef).commandStyle;

export async function practiceDaily(ctx: Ctx, time: string, timezone?: string): Promise<Outcome> {
  const zone = timezone ?? (await reminderOf(ctx.trx, ctx.team.id, ctx.member.id))?.timezone ?? ctx.team.timezone;
  const next = nextRun(rule(time, zone), ctx.now);
  if (!next) return ephemeral('I could not work out the next time for that; try another time.');
  await saveReminder(ctx.trx, ctx.team.id, ctx.member.id, time, zone, next, ctx.now);
  return ephemeral(`Daily practice is on: a question in your direct messages every day at ${time} ${zone}. The first comes ${formatLocal(next, zone)}. ${commandFor(styleOf(ctx), 'practice off')} stops it.`);
}

export async function practiceOff(ctx: Ctx): Promise<Outcome> {
  return ephemeral((await deleteReminder(ctx.trx, ctx.team.id, ctx.member.id)) ? 'Daily practice is off. /dojo practice still gives you a question whenever you like.' : `Daily practice was not on. Turn it on with ${commandFor(styleOf(ctx), 'practice daily')} ${styleOf(ctx) === 'options' ? 'time:' : ''}08:30 tz:Europe/Berlin.`);
}

/** The tick's job: each due daily DM, queued in the outbox, and the member's next local time. */
export async function sendDuePractice(work: Work): Promise<number> {
  let sent = 0;
  for (const r of await claimDueReminders(work.trx, work.now)) {
    const who = { teamId: r.teamId, memberId: r.memberId };
    const team = await findTeam(work.trx, r.teamId);
    const off = team ? commandFor(capabilitiesOf(work.deps.chat, teamRefOf(team)).commandStyle, 'practice off') : '/dojo practice off';
    let pick = await pickPractice(work, who);
    if (pick.kind === 'later') pick = await pickPractice(work, who, { fresh: true });
    const header = 'Your daily practice';
    const blocks: Block[] =
      pick.kind === 'question'
        ? practiceQuestionBlocks(pick.question, { card: pick.card, due: pick.due, header })
        : [{ type: 'header', text: header }, { type: 'text', text: `You have practised every question.${pick.next ? ` The next review is in ${waitText(work.now, pick.next)}.` : ''}` }, { type: 'buttons', buttons: [nextButton()] }];
    if (pick.kind === 'question') blocks.push({ type: 'context', text: `Every day at ${r.localTime} ${r.timezone}; ${off} stops it.` });
    await send(work, { teamId: r.teamId }, { kind: 'dm', userId: r.userId, message: message(blocks) });
    // Strictly after now: a DM missed while no instance ran is sent once, not once per missed day.
    const next = nextRun(rule(r.localTime, r.timezone), work.now) ?? new Date(work.now.getTime() + 86_400_000);
    await setReminderNext(work.trx, r.memberId, next, work.now);
    sent++;
  }
  return sent;
}
