/**
 * What the core works with (issue 12): the handle it passes to repositories, and the domain types the
 * repositories return, named for what they are rather than for their tables. Field names are the
 * columns' for now; the core imports these, never src/db/schema.
 */
import type { AnswerRow } from '../schema/answer.js';
import type { ChannelRow } from '../schema/channel.js';
import type { MemberRow } from '../schema/member.js';
import type { OutboxRow } from '../schema/outbox.js';
import type { QuestionRow } from '../schema/question.js';
import type { QuizRow } from '../schema/quiz.js';
import type { NewRoundRow, RoundRow } from '../schema/round.js';
import type { ScheduleRow } from '../schema/schedule.js';
import type { SeasonRow } from '../schema/season.js';
import type { TeamRow } from '../schema/team.js';

export type { Handle } from '../handle.js';
export type { TxContext } from '../tx.js';
export type { Role } from '../schema/member.js';
export type { RoundKind } from '../schema/round.js';

/** A Slack workspace or Discord server (or the playground's). */
export type Team = TeamRow;
/** A person in a team, with their dojo role. */
export type Member = MemberRow;
/** A channel of a team the dojo has seen. */
export type Channel = ChannelRow;
/** One question asked in a channel: a question of the day, a quiz's question or a practice question. */
export type Round = RoundRow;
/** A round to insert (openRound builds them). */
export type NewRound = NewRoundRow;
/** A question of the bank or of a team. */
export type Question = QuestionRow;
/** A member's answer to a round. */
export type Answer = AnswerRow;
export type Season = SeasonRow;
/** A channel's question-of-the-day schedule. */
export type Schedule = ScheduleRow;
export type Quiz = QuizRow;
/** A chat post waiting in, or sent from, the outbox. */
export type OutboxEntry = OutboxRow;
