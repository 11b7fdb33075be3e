/**
 * The `/dojo` application command: the subcommands of DESIGN.md with typed options. intent.ts builds
 * the core's intent from an invocation's options, by the names given here.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { BOARDS, MAX_QUIZ_COUNT, MAX_SECONDS, MIN_SECONDS, PERIODS, QUIZ_KINDS, SCOPES } from '../../src/core/commands.js';
import { CATEGORIES, DIFFICULTIES } from '../../src/core/question-model.js';

const choices = (values: readonly string[]) => values.map((v) => ({ name: v, value: v }));

function topicAndDifficulty(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addStringOption((o) => o.setName('topic').setDescription('A topic, like databases or caching').setAutocomplete(true).setMaxLength(60))
    .addStringOption((o) => o.setName('difficulty').setDescription('How hard').addChoices(...choices(DIFFICULTIES)))
    .addStringOption((o) => o.setName('category').setDescription('Technical, system design, behavioral or situational').addChoices(...choices(CATEGORIES)));
}

export function dojoCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName('dojo')
    .setDescription('Practise backend interview questions with your team')
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((s) => s.setName('help').setDescription('What you can do here'))
    .addSubcommand((s) =>
      topicAndDifficulty(s.setName('quiz').setDescription('Run a timed quiz round in a thread'))
        .addStringOption((o) => o.setName('kind').setDescription('Question kind').addChoices(...choices(QUIZ_KINDS)))
        .addIntegerOption((o) => o.setName('count').setDescription('How many questions').setMinValue(1).setMaxValue(MAX_QUIZ_COUNT))
        .addIntegerOption((o) => o.setName('seconds').setDescription('Seconds per question').setMinValue(MIN_SECONDS).setMaxValue(MAX_SECONDS)),
    )
    .addSubcommand((s) => s.setName('quiz-stop').setDescription('Stop the quiz running in this channel'))
    .addSubcommand((s) =>
      topicAndDifficulty(s.setName('question').setDescription('One question for the channel now')).addStringOption((o) =>
        o.setName('kind').setDescription('Question kind').addChoices(...choices(['open', 'choice'])),
      ),
    )
    .addSubcommand((s) =>
      s
        .setName('leaderboard')
        .setDescription('The top 10 and your rank')
        .addStringOption((o) => o.setName('period').setDescription('Which period').addChoices(...choices(PERIODS)))
        .addStringOption((o) => o.setName('scope').setDescription('This channel or the whole team').addChoices(...choices(SCOPES)))
        .addStringOption((o) => o.setName('board').setDescription('Your league (default in a season), all, most improved, personal bests or channels').addChoices(...choices(BOARDS))),
    )
    .addSubcommand((s) =>
      s
        .setName('stats')
        .setDescription('Answers, review scores, topics and streaks')
        .addUserOption((o) => o.setName('member').setDescription('Someone else (default: you)')),
    )
    .addSubcommand((s) => s.setName('review').setDescription('Review the oldest pending answer (mentors)'))
    .addSubcommandGroup((g) =>
      g
        .setName('schedule')
        .setDescription('The question of the day in this channel (admins)')
        .addSubcommand((s) =>
          s
            .setName('set')
            .setDescription('Set or change the schedule')
            .addStringOption((o) => o.setName('days').setDescription('mon-fri, mon,wed,fri, weekdays or daily'))
            .addStringOption((o) => o.setName('time').setDescription('Local time, like 09:00').setMaxLength(5))
            .addStringOption((o) => o.setName('tz').setDescription('IANA time zone, like Europe/Berlin'))
            .addStringOption((o) => o.setName('cron').setDescription('A cron expression instead of days and time, like 0 9 * * 1-5'))
            .addStringOption((o) => o.setName('difficulty').setDescription('rotating, beginner, intermediate, advanced or weighted:1/2/1'))
            .addStringOption((o) => o.setName('topics').setDescription('Comma-separated topics').setAutocomplete(true))
            .addStringOption((o) => o.setName('categories').setDescription('technical, system-design, behavioral, situational'))
            .addStringOption((o) => o.setName('kind').setDescription('Question kind').addChoices(...choices(QUIZ_KINDS)))
            .addBooleanOption((o) => o.setName('blind').setDescription('Answers in private until the round closes'))
            .addStringOption((o) => o.setName('window').setDescription('How long a round stays open, like 8h')),
        )
        .addSubcommand((s) => s.setName('show').setDescription('Show the schedule'))
        .addSubcommand((s) => s.setName('off').setDescription('Turn the schedule off')),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('mentor')
        .setDescription('Mentors and admins of the dojo')
        .addSubcommand((s) =>
          s
            .setName('add')
            .setDescription('Appoint a mentor (or admin): a member, or everyone with a server role')
            .addUserOption((o) => o.setName('member').setDescription('Who'))
            .addRoleOption((o) => o.setName('group').setDescription('Or everyone with this server role'))
            .addStringOption((o) => o.setName('role').setDescription('mentor (default) or admin').addChoices(...choices(['mentor', 'admin']))),
        )
        .addSubcommand((s) =>
          s
            .setName('remove')
            .setDescription('Remove a mentor, or a server role mapped to mentors')
            .addUserOption((o) => o.setName('member').setDescription('Who'))
            .addRoleOption((o) => o.setName('group').setDescription('Or this server role')),
        )
        .addSubcommand((s) => s.setName('list').setDescription('List mentors and admins')),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('season')
        .setDescription('Seasons of the leaderboard')
        .addSubcommand((s) =>
          s
            .setName('start')
            .setDescription('Start a season')
            .addStringOption((o) => o.setName('name').setDescription('Like Winter 2026').setRequired(true).setMaxLength(60))
            .addStringOption((o) => o.setName('until').setDescription('End date, YYYY-MM-DD').setRequired(true).setMinLength(10).setMaxLength(10)),
        )
        .addSubcommand((s) => s.setName('end').setDescription('End the current season'))
        .addSubcommand((s) =>
          s
            .setName('show')
            .setDescription('The current season, and past seasons with their final boards')
            .addStringOption((o) => o.setName('name').setDescription('A past season, by name').setMaxLength(60)),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('settings')
        .setDescription('The team’s settings (admins change them)')
        .addStringOption((o) => o.setName('tz').setDescription('Time zone of boards and seasons, like Europe/Berlin')),
    )
    .addSubcommand((s) => s.setName('add-question').setDescription('Propose a team question (mentors approve it)'))
    .addSubcommandGroup((g) =>
      g
        .setName('team-questions')
        .setDescription('Your team’s own questions (mentors)')
        .addSubcommand((s) => s.setName('list').setDescription('List them'))
        .addSubcommand((s) =>
          s
            .setName('edit')
            .setDescription('Edit one')
            .addIntegerOption((o) => o.setName('number').setDescription('Its number in the list').setRequired(true).setMinValue(1)),
        )
        .addSubcommand((s) =>
          s
            .setName('retire')
            .setDescription('Retire one: it is not asked again')
            .addIntegerOption((o) => o.setName('number').setDescription('Its number in the list').setRequired(true).setMinValue(1)),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('practice')
        .setDescription('Your most overdue question, privately (spaced repetition)')
        .addStringOption((o) => o.setName('topic').setDescription('A topic, or weakest for your weakest').setAutocomplete(true).setMaxLength(60)),
    )
    .addSubcommand((s) =>
      s
        .setName('practice-daily')
        .setDescription('A practice question in your DMs every day at your time')
        .addStringOption((o) => o.setName('time').setDescription('Local time, like 08:30').setRequired(true).setMaxLength(5))
        .addStringOption((o) => o.setName('tz').setDescription('Your IANA time zone, like Europe/Berlin')),
    )
    .addSubcommand((s) => s.setName('practice-off').setDescription('Stop the daily practice DM'))
    .addSubcommand((s) => s.setName('forget-me').setDescription('Delete your answers, reviews, points and practice (asks first)'))
    .addSubcommand((s) => s.setName('export').setDescription('A CSV of the team’s answers and scores (admins)'))
    .addSubcommand((s) => s.setName('export-mine').setDescription('Everything the dojo holds about you, as a file'))
    .toJSON();
}
