import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/core/grammar.js';

const ok = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.intent;
};
const bad = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`${text} parsed as ${JSON.stringify(parsed.intent)}`);
  return parsed;
};

describe('the /dojo text grammar', () => {
  it('keeps quoted words together, with straight or curly quotes', () => {
    expect(tokenize('season start "Winter 2026" until:2027-03-01')).toEqual(['season', 'start', 'Winter 2026', 'until:2027-03-01']);
    expect(tokenize('schedule set cron:“0 9 * * 1-5”')).toEqual(['schedule', 'set', 'cron:0 9 * * 1-5']);
  });

  it('reads help, quiz, question and their filters, named or as plain words', () => {
    expect(ok('')).toEqual({ cmd: 'help' });
    expect(ok('quiz')).toEqual({ cmd: 'quiz', kind: 'mixed', count: 5, seconds: 120 });
    expect(ok('quiz databases advanced kind:choice count:3')).toEqual({ cmd: 'quiz', topic: 'databases', difficulty: 'advanced', kind: 'choice', count: 3, seconds: 30 });
    expect(ok('QUIZ STOP')).toEqual({ cmd: 'quiz-stop' });
    expect(ok('question behavioral topic:Caching kind:open')).toEqual({ cmd: 'question', topic: 'caching', category: 'behavioral', kind: 'open' });
  });

  it('reads boards, stats, mentors and groups', () => {
    expect(ok('leaderboard month channel')).toEqual({ cmd: 'leaderboard', period: 'month', scope: 'channel' });
    expect(ok('board')).toEqual({ cmd: 'leaderboard', period: 'week', scope: 'team' });
    expect(ok('leaderboard month board:Improved')).toEqual({ cmd: 'leaderboard', period: 'month', scope: 'team', board: 'improved' });
    expect(ok('stats <@U1|bob>')).toEqual({ cmd: 'stats', userId: 'U1' });
    expect(ok('mentor add <@U2> role:admin')).toEqual({ cmd: 'mentor-add', userId: 'U2', role: 'admin' });
    expect(ok('mentor remove <@!3>')).toEqual({ cmd: 'mentor-remove', userId: '3' });
    expect(ok('mentor add <!subteam^S1|@mentors>')).toEqual({ cmd: 'group-add', groupId: 'S1', groupName: 'mentors', role: 'mentor' });
    expect(ok('mentor remove <@&9>')).toEqual({ cmd: 'group-remove', groupId: '9' });
  });

  it('reads schedules, seasons, settings and team questions', () => {
    expect(ok('schedule set days:mon-wed,fri time:9:05 tz:utc difficulty:weighted:1/2/1 topics:A,b kind:open blind:yes window:2h')).toEqual({
      cmd: 'schedule-set',
      options: { days: [1, 2, 3, 5], time: '09:05', timezone: 'UTC', difficulty: { mode: 'weighted', weights: { beginner: 1, intermediate: 2, advanced: 1 } }, topics: ['a', 'b'], kinds: ['open'], blind: true, windowMinutes: 120 },
    });
    expect(ok('schedule set days:fri-mon timezone:Europe/Berlin')).toEqual({ cmd: 'schedule-set', options: { days: [1, 5, 6, 7], timezone: 'Europe/Berlin' } });
    expect(ok('season start "Winter 2026" until:2027-03-01')).toEqual({ cmd: 'season-start', name: 'Winter 2026', until: '2027-03-01' });
    expect(ok('season show Winter 2026')).toEqual({ cmd: 'season-show', name: 'Winter 2026' });
    expect(ok('settings tz:America/New_York')).toEqual({ cmd: 'settings-set', timezone: 'America/New_York' });
    expect(ok('team-questions retire #12')).toEqual({ cmd: 'team-questions', action: 'retire', id: 12 });
    expect(ok('forget-me')).toEqual({ cmd: 'forget-me' });
    expect(ok('export mine')).toEqual({ cmd: 'export-mine' });
    expect(ok('practice Weakest')).toEqual({ cmd: 'practice', topic: 'weakest' });
    expect(ok('practice daily 8:30 tz:utc')).toEqual({ cmd: 'practice-daily', time: '08:30', timezone: 'UTC' });
    expect(ok('practice off')).toEqual({ cmd: 'practice-off' });
  });

  it('says what was wrong and how to say it', () => {
    expect(bad('teleport')).toMatchObject({ error: '"teleport" is not a dojo command. Try /dojo help.', usage: expect.stringMatching(/^Usage: \/dojo help/) });
    expect(bad('quiz count:11')).toEqual({ ok: false, error: 'count must be a whole number from 1 to 10 (got "11").', usage: expect.stringMatching(/^Usage: \/dojo quiz /) });
    expect(bad('quiz topic:')).toMatchObject({ error: 'topic: needs a value, like topic:databases.' });
    expect(bad('quiz databases caching')).toMatchObject({ error: 'I don\'t understand "caching": give one topic, like /dojo quiz databases or topic:databases.' });
    expect(bad('question level:hard')).toMatchObject({ error: '"level" is not an option of question; options: topic, difficulty, category, kind.' });
    expect(bad('question kind:mixed')).toMatchObject({ error: 'kind must be open or choice (got "mixed").' });
    expect(bad('leaderboard yearly')).toMatchObject({ error: '"yearly" is not a period (week, month, season, all), a scope (channel, team) or a board (board:improved).' });
    expect(bad('leaderboard all board:best')).toMatchObject({ error: 'board:best compares weeks or months: say week or month.' });
    expect(bad('leaderboard channel board:league')).toMatchObject({ error: 'board:league is about the whole team: leave out channel.' });
    expect(bad('stats bob')).toMatchObject({ error: 'Name one member with @, or nobody for your own stats.' });
    expect(bad('mentor add bob')).toMatchObject({ error: 'Name one member or role with @, like /dojo mentor add @alex or @Mentors.' });
    expect(bad('mentor add <@U1> role:boss')).toMatchObject({ error: 'role must be mentor or admin (got "boss").' });
    expect(bad('schedule set time:25:00')).toEqual({ ok: false, error: 'time must be HH:MM on a 24-hour clock (got "25:00").', usage: 'Example: /dojo schedule set time:09:00' });
    expect(bad('schedule set tz:Mars/Base')).toMatchObject({ usage: 'Example: /dojo schedule set tz:Europe/Berlin' });
    expect(bad('schedule set window:2w')).toMatchObject({ error: expect.stringMatching(/^window must be a duration from 5m to 7d/) });
    expect(bad('schedule set days:mon days:tue')).toMatchObject({ error: 'days is given twice.' });
    expect(bad('schedule')).toMatchObject({ error: 'Say set, show or off.' });
    expect(bad('season start until:2027-03-01')).toMatchObject({ error: expect.stringMatching(/^Give the season a name/) });
    expect(bad('season start W until:2027-02-30')).toMatchObject({ error: '2027-02-30 is not a date on the calendar.' });
    expect(bad('settings tz:Nowhere')).toMatchObject({ usage: 'Example: /dojo settings tz:Europe/Berlin' });
    expect(bad('team-questions edit x')).toMatchObject({ error: 'The question number must be a whole number from 1 to 2000000000 (got "x").' });
    expect(bad('export now')).toMatchObject({ error: 'Say /dojo export mine for your own data (the team export takes no options).' });
    expect(bad('forget-me now')).toMatchObject({ error: 'forget-me takes no options.' });
    expect(bad('practice daily 25:00')).toEqual({ ok: false, error: 'The time must be HH:MM on a 24-hour clock (got "25:00").', usage: 'Example: /dojo practice daily 08:30 tz:Europe/Berlin' });
    expect(bad('practice daily 08:30 tz:Nowhere')).toMatchObject({ usage: 'Example: /dojo practice daily 08:30 tz:Europe/Berlin' });
    expect(bad('practice topic:')).toMatchObject({ error: 'topic: needs a value, like topic:databases or topic:weakest.' });
  });
});
