/**
 * The core end to end: a real database (PGlite, or Postgres with TEST_DATABASE_URL), the real bank,
 * the in-memory chat adapter and a manual clock. Helpers speak as people do.
 */
import { pino } from 'pino';
import { expect } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { advanceClock, ManualClock } from '../../src/core/clock.js';
import type { Drawing } from '../../src/charts/drawing.js';
import { createDojo, type DojoCore } from '../../src/core/dojo.js';
import type { Block } from '../../src/core/messages.js';
import type { ChatCapabilities, InboundEvent, Outcome, TeamRef, UserRef } from '../../src/core/ports.js';
import { seededRandom } from '../../src/core/selection.js';
import { testDb, type TestDb } from './db.js';

export interface Harness {
  t: TestDb;
  dojo: DojoCore;
  chat: MemoryChat;
  clock: ManualClock;
  team: TeamRef;
  user(name: string, extra?: Partial<UserRef>): UserRef;
  cmd(user: UserRef, text: string, channel?: string): Promise<Outcome>;
  /** Runs a command and returns what came of it: the private reply, else what it posted in the channel. */
  said(user: UserRef, text: string, channel?: string): Promise<string | undefined>;
  /** The same, with the blocks and where it went. */
  seen(user: UserRef, text: string, channel?: string): Promise<Seen | undefined>;
  reply(user: UserRef, thread: string, text: string, messageId?: string, channel?: string): Promise<Outcome>;
  click(user: UserRef, action: string, channel?: string, deliveryId?: string): Promise<Outcome>;
  submit(user: UserRef, modal: string, values: Record<string, string>, channel?: string): Promise<Outcome>;
  send(event: InboundEvent): Promise<Outcome>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

/** What came of a command for the person: their private reply, or the message it put in the channel. */
export interface Seen {
  text: string;
  blocks?: Block[];
  where: 'private' | 'channel';
}

export async function harness(options: { start?: Date; team?: TeamRef; db?: TestDb; timezone?: string; seed?: number; chat?: Partial<ChatCapabilities>; drawing?: Drawing } = {}): Promise<Harness> {
  // A database of its own starts with the bank (from the run's snapshot on PGlite); a given one is used as it is.
  const t = options.db ?? (await testDb({ bank: true }));
  const clock = new ManualClock(options.start ?? new Date('2026-11-23T07:00:00Z'));
  const chat = new MemoryChat({ caps: options.chat });
  const dojo = createDojo({ db: t.db, chat, clock, log: pino({ level: 'silent' }), random: seededRandom(options.seed ?? 7), defaultTimezone: options.timezone ?? 'UTC', ...(options.drawing ? { drawing: options.drawing } : {}) });
  const team = options.team ?? { platform: 'memory' as const, id: 'T1', name: 'Team One' };
  const users = new Map<string, UserRef>();
  const user = (name: string, extra: Partial<UserRef> = {}) => {
    const u = users.get(name) ?? { id: `U_${name}`, name, ...extra };
    users.set(name, { ...u, ...extra });
    return users.get(name)!;
  };
  const base = (u: UserRef, channel: string) => ({ team, user: u, channel: { id: channel, name: channel.toLowerCase() } });
  const send = (event: InboundEvent) => dojo.handle(event);
  const seen = async (u: UserRef, text: string, channel = 'C1'): Promise<Seen | undefined> => {
    const mark = chat.sent.length;
    const out = await send({ ...base(u, channel), type: 'command', text, deliveryId: `cmd-${++seq}` });
    if (out.reply) return { text: out.reply.text, blocks: out.reply.blocks, where: 'private' };
    const posted = chat.since(mark).filter((s) => s.kind === 'post' && s.to === channel).at(-1);
    return posted && { text: posted.text, blocks: posted.message.blocks, where: 'channel' };
  };
  return {
    t,
    dojo,
    chat,
    clock,
    team,
    user,
    send,
    cmd: (u, text, channel = 'C1') => send({ ...base(u, channel), type: 'command', text, deliveryId: `cmd-${++seq}` }),
    said: async (u, text, channel = 'C1') => (await seen(u, text, channel))?.text,
    seen,
    reply: (u, thread, text, messageId, channel = 'C1') => send({ ...base(u, channel), type: 'message', thread, message: messageId ?? `${thread}/m${++seq}`, text, deliveryId: `msg-${messageId ?? seq}` }),
    click: (u, action, channel = 'C1', deliveryId) => send({ ...base(u, channel), type: 'button', action, deliveryId: deliveryId ?? `btn-${++seq}` }),
    submit: (u, modal, values, channel = 'C1') => send({ ...base(u, channel), type: 'modal_submit', modal, values, deliveryId: `modal-${++seq}` }),
    advance: (ms) => advanceClock(dojo, clock, ms),
    close: () => (options.db ? Promise.resolve() : t.close()),
  };
}

/**
 * Runs a one-question choice quiz of 10 seconds in which each pick answers right or wrong, then lets
 * it close: a quick way to put known points on the board.
 */
export async function choiceQuiz(h: Harness, starter: UserRef, picks: [UserRef, boolean][], options: { channel?: string; topic?: string } = {}) {
  const channel = options.channel ?? 'C1';
  const started = await h.cmd(starter, `quiz kind:choice count:1 seconds:10${options.topic ? ` topic:${options.topic}` : ''}`, channel);
  expect(started.reply?.text).toBe('Your quiz is starting: 1 question.');
  const card = h.chat.sent.filter((s) => [...MemoryChat.buttons(s.message).values()].some((id) => id.startsWith('choice:'))).at(-1)!;
  const ids = [...MemoryChat.buttons(card.message).values()];
  const roundId = Number(ids[0]!.split(':')[1]);
  const q = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
  const right = q.options!.findIndex((o) => o.correct);
  for (const [u, ok] of picks) await h.click(u, ids[ok ? right : (right + 1) % ids.length]!, channel);
  await h.advance(10_000);
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
