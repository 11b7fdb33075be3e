/**
 * The terminal playground: one team, one channel (#general), driving the real core on the embedded
 * database. Reads the line protocol of DESIGN.md (from a script when stdin is not a terminal):
 *
 *   @alice /dojo quiz count:2 topic:databases   alice runs a command
 *   @bob > An index is ...                      bob replies in the thread of the newest round
 *   @bob !edit An index is a sorted ...         bob edits his newest thread reply
 *   @bob !delete                                bob deletes his newest thread reply
 *   @bob [B]                                    bob clicks choice B on the newest round
 *   @carol !review                              carol clicks the newest review button (mentor)
 *   @carol !submit correctness=3 feedback="…"   carol submits the modal she has open (\n in a value: a new line)
 *   @alice !click Knew it                       any button by its label
 *   :role @carol mentor                         sets a role (whoever speaks first, or @you, is admin)
 *   :advance 10m                                the clock moves forward
 *   # a comment
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { DojoCore } from '../../src/core/dojo.js';
import { advanceClock, type ManualClock } from '../../src/core/clock.js';
import { tokenize } from '../../src/core/grammar.js';
import type { Modal } from '../../src/core/messages.js';
import type { InboundEvent, Outcome, TeamRef, UserRef } from '../../src/core/ports.js';
import { parseDuration } from '../../src/core/time.js';
import type { PlaygroundChat} from './chat.js';
import { type Style } from './chat.js';

export const PLAYGROUND_TEAM: TeamRef = { platform: 'playground', id: 'local', name: 'Playground' };
export const CHANNEL = { id: 'general', name: 'general' };

export interface PlaygroundOptions {
  dojo: DojoCore;
  chat: PlaygroundChat;
  clock: ManualClock;
  write: (line: string) => void;
  style: Style;
}

export class Playground {
  private readonly users = new Map<string, UserRef>();
  private readonly modals = new Map<string, Modal>();
  /** Each person's thread replies, newest last: what !edit and !delete act on. */
  private readonly replies = new Map<string, { thread: string; message: string }[]>();
  private admin: string | undefined;
  private seq = 0;
  // Delivery ids must not repeat across runs on the same data, or the core takes them for replays.
  private readonly runId = randomBytes(4).toString('hex');

  constructor(private readonly o: PlaygroundOptions) {
    o.chat.nameChannel(CHANNEL.id, CHANNEL.name);
  }

  /**
   * A person by name. Whoever speaks first runs the playground, so they are its admin (and so is
   * `you`, the terminal's own user); being named in a command or in `:role` makes nobody admin.
   */
  private user(name: string, speaking = false): UserRef {
    if (speaking && this.admin === undefined) this.admin = name;
    const isPlatformAdmin = name === 'you' || name === this.admin;
    let u = this.users.get(name);
    if (!u || u.isPlatformAdmin !== isPlatformAdmin) {
      u = { id: name, name, isPlatformAdmin };
      this.users.set(name, u);
    }
    return u;
  }

  /** Handles one line; returns false for a line it could not understand (after saying why). */
  async line(raw: string, defaultUser?: string): Promise<boolean> {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return true;
    if (line.startsWith(':')) return this.meta(line);
    const m = /^@(\S+)\s+(.*)$/.exec(line) ?? (defaultUser ? ([line, defaultUser, line] as const) : null);
    if (!m) return this.say('Start a line with @name, like: @alice /dojo help');
    const who = this.user(m[1]!, true);
    const rest = m[2]!.trim();
    const base = { team: PLAYGROUND_TEAM, channel: CHANNEL, user: who, deliveryId: `pg-${this.runId}-${++this.seq}` };
    if (rest.startsWith('/dojo')) {
      const text = rest.slice('/dojo'.length).trim().replace(/(^|\s)@(\w[\w.-]*)/g, (_all, pre: string, name: string) => `${pre}<@${this.user(name).id}>`);
      return this.run(who, { ...base, type: 'command', text });
    }
    if (rest.startsWith('>')) {
      const thread = this.o.chat.newestThread;
      if (!thread) return this.say('There is no round to reply to yet.');
      const message = `${thread}:m${this.seq}`;
      this.replies.set(who.id, [...(this.replies.get(who.id) ?? []), { thread, message }]);
      return this.run(who, { ...base, type: 'message', thread, message, text: rest.slice(1).trim() });
    }
    if (rest === '!delete' || rest.startsWith('!edit ')) {
      const mine = this.replies.get(who.id) ?? [];
      const last = mine.at(-1);
      if (!last) return this.say(`@${who.name} has no thread reply to ${rest === '!delete' ? 'delete' : 'edit'}.`);
      // What a chat client shows everyone: the reply changed or is gone.
      if (rest === '!delete') {
        mine.pop();
        this.o.write(this.o.style.dim(`-- @${who.name} deleted a reply --`));
        return this.run(who, { ...base, type: 'message_deleted', ...last });
      }
      const text = rest.slice('!edit '.length).trim();
      this.o.write(this.o.style.dim(`-- @${who.name} edited a reply: ${text} --`));
      return this.run(who, { ...base, type: 'message_edited', ...last, text });
    }
    const choice = /^\[([A-Ea-e])\]$/.exec(rest);
    if (choice) return this.click(who, base, choice[1]!.toUpperCase());
    if (rest === '!review') return this.click(who, base, (id) => id === 'review:next', 'review button');
    if (rest.startsWith('!click ')) return this.click(who, base, rest.slice('!click '.length).trim());
    if (rest.startsWith('!submit')) return this.submit(who, base, rest.slice('!submit'.length));
    return this.say(`I don't understand "${rest}". Try /dojo help, > to answer, !edit or !delete your answer, [B] to pick B, !review, !submit, !click LABEL.`);
  }

  private async click(who: UserRef, base: Omit<InboundEvent, 'type'> & { deliveryId: string }, label: string | ((id: string) => boolean), what = `"${String(label)}" button`): Promise<boolean> {
    const action = this.o.chat.newestButton(label);
    if (!action) return this.say(`There is no ${what} to click.`);
    return this.run(who, { ...(base as object), type: 'button', action } as InboundEvent);
  }

  private async submit(who: UserRef, base: object, args: string): Promise<boolean> {
    const modal = this.modals.get(who.id);
    if (!modal) return this.say(`@${who.name} has no form open.`);
    const values: Record<string, string> = {};
    for (const token of tokenize(args)) {
      const eq = token.indexOf('=');
      // A line has no line breaks: \n in a value stands for one (key points, choice options).
      if (eq > 0) values[token.slice(0, eq)] = token.slice(eq + 1).replace(/\\n/g, '\n');
    }
    for (const f of modal.fields) if (f.type === 'checkbox') values[f.id] = ['yes', 'true', 'on'].includes((values[f.id] ?? '').toLowerCase()) ? 'true' : '';
    this.modals.delete(who.id);
    return this.run(who, { ...(base as object), type: 'modal_submit', modal: modal.id, values } as InboundEvent);
  }

  private async meta(line: string): Promise<boolean> {
    const [cmd, ...args] = line.slice(1).trim().split(/\s+/);
    if (cmd === 'advance') {
      const ms = parseDuration(args.join(''));
      if (ms === undefined) return this.say('Usage: :advance 10m (s, m, h or d)');
      await advanceClock(this.o.dojo, this.o.clock, ms);
      this.o.write(this.o.style.dim(`-- ${args.join('')} later: ${this.o.clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC --`));
      return true;
    }
    if (cmd === 'role') {
      const name = args[0]?.replace(/^@/, '');
      const role = args[1];
      if (!name || (role !== 'admin' && role !== 'mentor' && role !== 'member')) return this.say('Usage: :role @name admin|mentor|member');
      await this.o.dojo.setRole(PLAYGROUND_TEAM, this.user(name), role);
      this.o.write(this.o.style.dim(`-- @${name} is now ${role === 'admin' ? 'an admin' : `a ${role}`} --`));
      return true;
    }
    return this.say('Meta commands: :advance 10m, :role @name admin|mentor|member');
  }

  private async run(who: UserRef, event: InboundEvent): Promise<boolean> {
    let outcome: Outcome;
    try {
      outcome = await this.o.dojo.handle(event);
    } catch (error) {
      return this.say(error instanceof Error && 'userMessage' in error ? String(error.userMessage) : 'Something went wrong.');
    }
    if (outcome.reply) {
      const where = outcome.reply.visibility === 'ephemeral' ? `(only @${who.name})` : `#${CHANNEL.name}`;
      this.o.chat.show(where, { text: outcome.reply.text, blocks: outcome.reply.blocks ?? [{ type: 'text', text: outcome.reply.text }] });
    }
    if (outcome.pictures) {
      // The pictures follow the reply as their own message (a file saved, its path printed).
      const files = await outcome.pictures.images;
      const text = files.length ? 'Your chart:' : outcome.pictures.failed;
      this.o.chat.show(`(only @${who.name})`, { text, blocks: [{ type: 'text', text }], ...(files.length ? { files } : {}) });
    }
    if (outcome.modal) {
      this.modals.set(who.id, outcome.modal);
      const m = outcome.modal;
      const fields = m.fields.map((f) => (f.type === 'select' ? `${f.id}=${f.options.map((o) => o.value).join('|')}` : f.type === 'checkbox' ? `${f.id}=yes|no` : `${f.id}="…"`));
      this.o.chat.show(`(form for @${who.name})`, { text: m.title, blocks: [{ type: 'header', text: m.title }, ...(m.intro ?? []), { type: 'context', text: `!submit ${fields.join(' ')}` }] });
    }
    if (outcome.file) {
      this.o.chat.show(`(file for @${who.name})`, { text: outcome.file.name, blocks: [{ type: 'header', text: outcome.file.name }, { type: 'text', text: outcome.file.content.trimEnd() }] });
    }
    return true;
  }

  private say(text: string): false {
    this.o.write(this.o.style.dim(`!! ${text}`));
    return false;
  }

  /** Reads lines until the input ends. In a terminal, lines without @name are from "you". */
  async runStream(input: NodeJS.ReadableStream, interactive: boolean): Promise<void> {
    const rl = createInterface({ input, terminal: false });
    for await (const raw of rl) {
      await this.line(raw, interactive ? 'you' : undefined);
    }
  }
}
