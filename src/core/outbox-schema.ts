/**
 * The stored form of an outbox row's payload (an Outgoing message as JSON can keep it: pictures as base64),
 * checked when the row is read back: a row written by an older version, or edited by hand, is refused
 * with a reason instead of being trusted.
 */
import { z } from 'zod';
import type { Outgoing } from './outbox.js';
import type { Block, OutMessage } from './messages.js';

const text = z.string();

const block: z.ZodType<Block> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), text }),
  z.object({ type: z.literal('text'), text }),
  z.object({ type: z.literal('fields'), fields: z.array(z.object({ label: text, value: text })) }),
  z.object({ type: z.literal('list'), items: z.array(text), ordered: z.boolean().optional() }),
  z.object({ type: z.literal('table'), columns: z.array(text), rows: z.array(z.array(text)) }),
  z.object({ type: z.literal('quote'), text, author: text.optional() }),
  z.object({ type: z.literal('context'), text }),
  z.object({ type: z.literal('code'), text, language: text.optional() }),
  z.object({ type: z.literal('buttons'), buttons: z.array(z.object({ id: text, label: text, style: z.enum(['primary', 'danger']).optional() })) }),
  z.object({ type: z.literal('mention'), userIds: z.array(text), text }),
]);

/** Pictures as the outbox keeps them: JSON has no bytes, so base64. */
const storedImage = z.object({ name: text, alt: text, base64: text });

const message: z.ZodType<OutMessage> = z.object({ text, blocks: z.array(block), files: z.array(storedImage).optional() }).transform(({ files, ...rest }) => ({
  ...rest,
  ...(files ? { files: files.map((f) => ({ name: f.name, alt: f.alt, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })) } : {}),
}));
const id = z.number().int().positive();
const target = z.union([z.object({ thread: text }), z.object({ roundId: id }), z.object({ quizId: id })]);

export const outgoingSchema: z.ZodType<Outgoing> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('post'),
    channel: text,
    message,
    thread: z.object({ name: text }).optional(),
    link: z.object({ roundId: id.optional(), quizId: id.optional() }).optional(),
  }),
  z.object({ kind: z.literal('reply'), to: target, message }),
  z.object({ kind: z.literal('update'), to: z.union([z.object({ message: text }), z.object({ roundId: id })]), message }),
  z.object({ kind: z.literal('dm'), userId: text, message, link: z.object({ questionId: id }).optional() }),
]);

/** The outgoing message as JSON can keep it (a recap's chart: its PNG as base64); outgoingSchema reads it back. */
export function stored(outgoing: Outgoing): unknown {
  const files = outgoing.message.files;
  if (!files?.length) return outgoing;
  const kept: z.infer<typeof storedImage>[] = files.map((f) => ({ name: f.name, alt: f.alt, base64: Buffer.from(f.bytes).toString('base64') }));
  return { ...outgoing, message: { ...outgoing.message, files: kept } };
}
