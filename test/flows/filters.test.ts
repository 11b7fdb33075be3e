/** The question filters of /dojo quiz and /dojo question, as people type them. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

describe(`quiz and question filters on ${backend}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.close());

  /** The newest round's question. */
  const lastQuestion = () =>
    h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select(['question.category', 'question.kind', 'question.topics']).orderBy('round.id', 'desc').executeTakeFirstOrThrow();

  it('takes a topic without topic: in /dojo quiz, as /dojo question does', async () => {
    expect((await h.cmd(h.user('bob'), 'quiz databases kind:choice count:1', 'C1')).reply?.text).toBe('Your quiz is starting: 1 question.');
    expect((await lastQuestion()).topics).toContain('databases');
  });

  it('picks by category in quiz and question, and by kind in question', async () => {
    expect((await h.cmd(h.user('bob'), 'quiz category:behavioral count:1', 'C2')).reply?.text).toBe('Your quiz is starting: 1 question.');
    expect((await lastQuestion()).category).toBe('behavioral');
    await h.cmd(h.user('bob'), 'question situational', 'C3');
    expect((await lastQuestion()).category).toBe('situational');
    await h.cmd(h.user('bob'), 'question kind:choice databases', 'C4');
    expect(await lastQuestion()).toMatchObject({ kind: 'choice', topics: expect.arrayContaining(['databases']) });
    expect((await h.cmd(h.user('bob'), 'question kind:essay')).reply?.text).toMatch(/^kind must be open or choice \(got "essay"\)\./);
    expect((await h.cmd(h.user('bob'), 'quiz category:trivia')).reply?.text).toMatch(/^category must be one of technical, system-design, behavioral, situational/);
  });

  it('refuses topic: with nothing after it instead of quizzing on every topic', async () => {
    const out = await h.cmd(h.user('bob'), 'quiz topic: count:2', 'C5');
    expect(out.reply?.text).toMatch(/^topic: needs a value, like topic:databases\.\nUsage: \/dojo quiz/);
    expect((await h.cmd(h.user('bob'), 'question topic:', 'C5')).reply?.text).toMatch(/^topic: needs a value/);
    expect(await h.t.db.selectFrom('quiz').select('id').where('channel_id', 'in', (eb) => eb.selectFrom('channel').select('id').where('platform_channel_id', '=', 'C5')).execute()).toEqual([]);
  });

  it('says a quiz of count:5 runs 2 when only 2 questions match', async () => {
    const small = await sql<{ topic: string; kind: string; difficulty: string }>`
      select t.topic, q.kind, q.difficulty from question q, unnest(q.topics) as t(topic)
      where q.status = 'active' group by 1, 2, 3 having count(*) = 2 order by 1, 2, 3 limit 1`.execute(h.t.db);
    const { topic, kind, difficulty } = small.rows[0]!;
    const out = await h.cmd(h.user('bob'), `quiz topic:${topic} kind:${kind} difficulty:${difficulty} count:5`, 'C6');
    expect(out.reply?.text).toBe('Only 2 questions match that, so your quiz runs 2.');
    const announced = h.chat.sent.filter((s) => s.kind === 'post' && s.to === 'C6').at(-1)!;
    expect(announced.text).toMatch(/started a quiz: 2 questions/);
  });
});
