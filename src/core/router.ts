/**
 * The router: what an inbound event is about (a round's thread, an answer's message), and which flow
 * handles it, a command's intent, a button's action or a form's submission, with the role each needs.
 * It runs inside the unit of work dojo.ts opened for the event.
 */
import { partByMessage, type AnswerPart } from '../db/repos/answers.js';
import { findRoundByThread } from '../db/repos/rounds.js';
import { teamKey } from '../db/repos/tenancy.js';
import type { Role, Round } from '../db/repos/types.js';
import { decodeAction, decodeModal } from './actions.js';
import { onAnswerSubmit, onChoice, onThreadDelete, onThreadEdit, onThreadMessage, answerModal } from './answers.js';
import type { Intent, Parsed } from './commands.js';
import { parseCommand } from './grammar.js';
import { usageFor } from './help.js';
import type { Ctx } from './context.js';
import { atLeast } from './context.js';
import { confirmForget, exportCsv, forgetMe } from './data-rights.js';
import { showHint } from './hints.js';
import { leaderboard, stats } from './leaderboard.js';
import { mentorCommand } from './mentors.js';
import type { InboundEvent, Outcome } from './ports.js';
import { capabilitiesOf } from './ports.js';
import { ephemeral, type FlowOutcome } from './announce.js';
import { practice, practiceAnswerSubmit, practiceButton, selfCheck, selfCheckRound } from './practice-session.js';
import { practiceDaily, practiceOff } from './practice-daily.js';
import { exportMine } from './my-data.js';
import { postChannelQuestion } from './channel-question.js';
import { startQuiz, stopQuiz } from './quiz.js';
import { nextReview, submitReview } from './reviews.js';
import { scheduleOff, setSchedule, showSchedule } from './schedules.js';
import { endSeasonNow, showSeason, startSeason } from './seasons.js';
import { teamSettings } from './settings.js';
import { addQuestionModal, decideQuestion, submitQuestion } from './team-questions.js';
import { submitEdit, teamQuestionsCommand } from './team-question-admin.js';
import { helpReply } from './hot-path.js';

const NEEDS: Partial<Record<Intent['cmd'], Role>> = {
  review: 'mentor',
  'schedule-set': 'admin',
  'schedule-off': 'admin',
  'mentor-add': 'admin',
  'mentor-remove': 'admin',
  'mentor-list': 'member',
  'group-add': 'admin',
  'group-remove': 'admin',
  'season-start': 'admin',
  'season-end': 'admin',
  'settings-set': 'admin',
  export: 'admin',
  'team-questions': 'mentor',
};

/** What a thread event is about, looked up once: a round for a new message, an answer part for an edit or delete. */
export type Target = { round?: Round; part?: AnswerPart };

export async function findTarget(trx: Ctx['trx'], event: InboundEvent): Promise<Target | undefined> {
  const teamId = teamKey(event.team.platform, event.team.id);
  if (event.type === 'message') {
    const round = await findRoundByThread(trx, teamId, event.thread);
    return round?.question_kind === 'open' ? { round } : undefined;
  }
  if (event.type === 'message_edited' || event.type === 'message_deleted') {
    const part = await partByMessage(trx, teamId, event.message);
    return part ? { part } : undefined;
  }
  return {};
}

export async function route(ctx: Ctx, target: Target): Promise<FlowOutcome> {
  const e = ctx.event;
  switch (e.type) {
    case 'command':
      return command(ctx, e.parsed ?? parseCommand(e.text));
    case 'message':
      return onThreadMessage(ctx, target.round!, e.message, e.text);
    case 'message_edited':
      return onThreadEdit(ctx, target.part!, e.text);
    case 'message_deleted':
      return onThreadDelete(ctx, target.part!);
    case 'button':
      return button(ctx, e.action);
    case 'modal_submit':
      return modal(ctx, e.modal, e.values);
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

function refuse(needed: Role, what = 'review answers'): Outcome {
  return ephemeral(needed === 'admin' ? 'Sorry, only admins can do that. An admin can appoint more with /dojo mentor add @someone role:admin.' : `Sorry, only mentors can ${what}. An admin can appoint mentors with /dojo mentor add @someone.`);
}

async function command(ctx: Ctx, parsed: Parsed): Promise<FlowOutcome> {
  const style = capabilitiesOf(ctx.deps.chat, ctx.teamRef).commandStyle;
  if (!parsed.ok) return { reply: { text: `${parsed.error}\n${usageFor(parsed.usage, style)}`, visibility: 'ephemeral' } };
  const intent = parsed.intent;
  const needed = NEEDS[intent.cmd];
  if (needed && !atLeast(ctx.role, needed)) return refuse(needed, intent.cmd === 'team-questions' ? 'manage team questions' : undefined);
  switch (intent.cmd) {
    case 'help':
      return helpReply(ctx.role, style);
    case 'quiz':
      return startQuiz(ctx, intent);
    case 'quiz-stop':
      return stopQuiz(ctx);
    case 'question':
      return postChannelQuestion(ctx, intent);
    case 'leaderboard':
      return leaderboard(ctx, intent);
    case 'stats':
      return stats(ctx, intent);
    case 'review':
      return nextReview(ctx);
    case 'schedule-set':
      return setSchedule(ctx, intent);
    case 'schedule-show':
      return showSchedule(ctx);
    case 'schedule-off':
      return scheduleOff(ctx);
    case 'mentor-add':
    case 'mentor-remove':
    case 'mentor-list':
    case 'group-add':
    case 'group-remove':
      return mentorCommand(ctx, intent);
    case 'season-start':
      return startSeason(ctx, intent);
    case 'season-end':
      return endSeasonNow(ctx);
    case 'season-show':
      return showSeason(ctx, intent.name);
    case 'settings':
    case 'settings-set':
      return teamSettings(ctx, intent);
    case 'add-question':
      return addQuestionModal();
    case 'team-questions':
      return teamQuestionsCommand(ctx, intent);
    case 'practice':
      return practice(ctx, intent.topic ? { topic: intent.topic } : {});
    case 'practice-daily':
      return practiceDaily(ctx, intent.time, intent.timezone);
    case 'practice-off':
      return practiceOff(ctx);
    case 'forget-me':
      return confirmForget();
    case 'export':
      return exportCsv(ctx);
    case 'export-mine':
      return exportMine(ctx);
    default: {
      const never: never = intent;
      throw new Error(`unknown intent ${JSON.stringify(never)}`);
    }
  }
}

async function button(ctx: Ctx, id: string): Promise<Outcome> {
  const action = decodeAction(id);
  if (!action) return ephemeral('That button is from an older version of me; run the command again.');
  switch (action.kind) {
    case 'choice':
      return onChoice(ctx, action.roundId, action.index);
    case 'answer':
      return answerModal(ctx, action.roundId);
    case 'self-check':
      return selfCheckRound(ctx, action.roundId, action.rating);
    case 'hint':
      return showHint(ctx, action.roundId);
    case 'practice-check':
      return selfCheck(ctx, action.questionId, action.rating);
    case 'practice-choice':
    case 'practice-reveal':
    case 'practice-answer':
    case 'practice-rate':
    case 'practice-next':
      return practiceButton(ctx, action);
    case 'review-next':
      return atLeast(ctx.role, 'mentor') ? nextReview(ctx) : refuse('mentor');
    case 'approve-question':
    case 'reject-question':
      return atLeast(ctx.role, 'mentor') ? decideQuestion(ctx, action.questionId, action.kind === 'approve-question') : refuse('mentor', 'approve team questions');
    case 'forget-confirm':
      return forgetMe(ctx);
    case 'forget-cancel':
      return ephemeral('Nothing was deleted.');
    case 'quiz-stop':
      return stopQuiz(ctx, action.quizId);
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

async function modal(ctx: Ctx, id: string, values: Record<string, string>): Promise<Outcome> {
  const m = decodeModal(id);
  if (!m) return ephemeral('That form is from an older version of me; please start again.');
  switch (m.kind) {
    case 'answer':
      return onAnswerSubmit(ctx, m.roundId, values);
    case 'review':
      return atLeast(ctx.role, 'mentor') ? submitReview(ctx, m.answerId, values) : refuse('mentor');
    case 'add-question':
      return submitQuestion(ctx, values);
    case 'edit-question':
      return atLeast(ctx.role, 'mentor') ? submitEdit(ctx, m.questionId, values) : refuse('mentor', 'edit team questions');
    case 'practice-answer':
      return practiceAnswerSubmit(ctx, m.questionId, m.reps, values);
    default: {
      const never: never = m;
      throw new Error(`unknown modal ${JSON.stringify(never)}`);
    }
  }
}

