// The database type is the intersection of the per-table parts (one file a table, as atproto does).
import type { PartialDB as Answer } from './answer.js';
import type { PartialDB as BankSync } from './bank-sync.js';
import type { PartialDB as Channel } from './channel.js';
import type { PartialDB as EventReceipt } from './event-receipt.js';
import type { PartialDB as League } from './league.js';
import type { PartialDB as LedgerRollup } from './ledger-rollup.js';
import type { PartialDB as Member } from './member.js';
import type { PartialDB as Outbox } from './outbox.js';
import type { PartialDB as PointEvent } from './point-event.js';
import type { PartialDB as PostedThread } from './posted-thread.js';
import type { PartialDB as QotdStreak } from './qotd-streak.js';
import type { PartialDB as Practice } from './practice.js';
import type { PartialDB as Question } from './question.js';
import type { PartialDB as QuestionCard } from './question-card.js';
import type { PartialDB as Quiz } from './quiz.js';
import type { PartialDB as Review } from './review.js';
import type { PartialDB as Round } from './round.js';
import type { PartialDB as Schedule } from './schedule.js';
import type { PartialDB as Season } from './season.js';
import type { PartialDB as SlackInstallation } from './slack-installation.js';
import type { PartialDB as Team } from './team.js';

export type Database = Team &
  Member &
  Channel &
  Question &
  QuestionCard &
  Schedule &
  Quiz &
  Round &
  Answer &
  Review &
  Season &
  PointEvent &
  LedgerRollup &
  QotdStreak &
  League &
  EventReceipt &
  Practice &
  Outbox &
  PostedThread &
  SlackInstallation &
  BankSync;
