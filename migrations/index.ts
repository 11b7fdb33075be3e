// Every migration, listed explicitly so bundles and builds find them; names sort by time.
import type { Migration } from 'kysely';
import * as init from './20261124T100000Z-init.js';
import * as slackInstallations from './20261125T120000Z-slack-installations.js';
import * as bestAnswerReversal from './20261130T092000Z-best-answer-reversal-and-role-maps.js';
import * as outboxCorrelation from './20261130T100000Z-outbox-correlation.js';
import * as outboxOwner from './20261130T110000Z-outbox-owner.js';
import * as questionTeaching from './20261130T120000Z-question-teaching.js';
import * as ledgerRollup from './20261130T130000Z-ledger-rollup.js';
import * as practiceCards from './20261130T142000Z-practice-cards.js';
import * as leaguesAndRecaps from './20261130T144000Z-leagues-and-recaps.js';
import * as bankSync from './20261130T145900Z-bank-sync.js';
import * as tenancyVersion from './20261130T145930Z-tenancy-version.js';
import * as boardSets from './20261130T170000Z-board-sets.js';
import * as memberPlatformRoles from './20261130T190000Z-member-platform-roles.js';
import * as memberForgottenIndex from './20261130T191000Z-member-forgotten-index.js';
import * as memberRolesNoBump from './20261130T192000Z-member-roles-no-bump.js';
import * as roundQotdTeam from './20261201T060000Z-round-qotd-team.js';
import * as noJit from './20261201T061000Z-no-jit.js';
import * as rollupStatistics from './20261201T120000Z-rollup-statistics.js';
import * as qotdStreaks from './20261201T160000Z-qotd-streaks.js';

export const migrations: Record<string, Migration> = {
  '20261124T100000Z-init': init,
  '20261125T120000Z-slack-installations': slackInstallations,
  '20261130T092000Z-best-answer-reversal-and-role-maps': bestAnswerReversal,
  '20261130T100000Z-outbox-correlation': outboxCorrelation,
  '20261130T110000Z-outbox-owner': outboxOwner,
  '20261130T120000Z-question-teaching': questionTeaching,
  '20261130T130000Z-ledger-rollup': ledgerRollup,
  '20261130T142000Z-practice-cards': practiceCards,
  '20261130T144000Z-leagues-and-recaps': leaguesAndRecaps,
  '20261130T145900Z-bank-sync': bankSync,
  // Named after main's migrations of the same afternoon, so databases that ran them take it in order.
  '20261130T145930Z-tenancy-version': tenancyVersion,
  '20261130T170000Z-board-sets': boardSets,
  '20261130T190000Z-member-platform-roles': memberPlatformRoles,
  '20261130T191000Z-member-forgotten-index': memberForgottenIndex,
  '20261130T192000Z-member-roles-no-bump': memberRolesNoBump,
  '20261201T060000Z-round-qotd-team': roundQotdTeam,
  '20261201T061000Z-no-jit': noJit,
  '20261201T120000Z-rollup-statistics': rollupStatistics,
  '20261201T160000Z-qotd-streaks': qotdStreaks,
};
