/**
 * discord.js builds an interaction object from each INTERACTION_CREATE packet before any listener runs,
 * inside the gateway's message handler: a malformed packet (options `null`, a modal without components,
 * a click without its message) throws there, where nothing catches it, and the process ends. This
 * checks each interaction packet's shape with zod before discord.js reads it, and catches whatever a
 * packet handler still throws, so one bad packet is logged and dropped and the others go on.
 */
import type { Client } from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../../src/log.js';

const snowflake = z.string().regex(/^\d{1,20}$/);
const bits = z.string().regex(/^\d{1,30}$/);
const int = z.number().int();
const user = z.looseObject({ id: snowflake, username: z.string().optional(), bot: z.boolean().optional() });
const member = z.looseObject({ user: user.optional(), roles: z.array(snowflake), permissions: bits.optional(), nick: z.string().nullish() });

interface Option {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: Option[];
}
const option: z.ZodType<Option> = z.lazy(() =>
  z.object({ name: z.string(), type: int.min(1).max(11), value: z.union([z.string(), z.number(), z.boolean()]).optional(), focused: z.boolean().optional(), options: z.array(option).max(25).optional() }),
);
const resolved = z
  .looseObject({
    users: z.record(z.string(), user).optional(),
    members: z.record(z.string(), z.looseObject({ roles: z.array(snowflake).optional() })).optional(),
    channels: z.record(z.string(), z.looseObject({ id: snowflake, type: int })).optional(),
    roles: z.record(z.string(), z.looseObject({ id: snowflake })).optional(),
    attachments: z.record(z.string(), z.looseObject({ id: snowflake })).optional(),
  })
  .optional();

const commandData = z.looseObject({ id: z.string().min(1), name: z.string(), type: int, options: z.array(option).max(25).optional(), resolved });
const componentData = z.looseObject({ custom_id: z.string().max(100), component_type: int, values: z.array(z.string()).optional() });
interface ModalComponent {
  type: number;
  custom_id?: string;
  value?: unknown;
  values?: string[];
  components?: ModalComponent[];
  component?: ModalComponent;
}
const modalComponent: z.ZodType<ModalComponent> = z.lazy(() =>
  z.looseObject({
    type: int,
    custom_id: z.string().optional(),
    value: z.union([z.string(), z.boolean()]).optional(),
    values: z.array(z.string()).optional(),
    components: z.array(modalComponent).max(25).optional(),
    component: modalComponent.optional(),
  }),
);
const modalData = z.looseObject({ custom_id: z.string().max(100), components: z.array(modalComponent).max(25), resolved });
const message = z.looseObject({ id: snowflake, channel_id: snowflake, author: user.optional() });

const common = {
  id: snowflake,
  application_id: snowflake,
  token: z.string().min(1),
  version: int,
  guild_id: snowflake.optional(),
  channel: z.looseObject({ id: snowflake, type: int }).optional(),
  user: user.optional(),
  member: member.optional(),
  app_permissions: bits.optional(),
  entitlements: z.array(z.looseObject({ id: snowflake })),
  authorizing_integration_owners: z.record(z.string(), z.string()),
  locale: z.string().optional(),
};

/** The interaction packets the adapter answers (commands, autocomplete, clicks, modal submits). */
export const interactionPacket = z
  .discriminatedUnion('type', [
    z.looseObject({ ...common, type: z.literal(2), data: commandData }),
    z.looseObject({ ...common, type: z.literal(3), data: componentData, message }),
    z.looseObject({ ...common, type: z.literal(4), data: commandData }),
    z.looseObject({ ...common, type: z.literal(5), data: modalData, message: message.optional() }),
  ])
  .refine((d) => d.user !== undefined || d.member?.user !== undefined, { message: 'no user' });

interface Packet {
  t?: string | null;
  d?: unknown;
}
type HandlePacket = (packet?: Packet, shard?: unknown) => boolean;

/** Puts the check and the catch around the client's packet handling (its WebSocketManager#handlePacket). */
export function guardGateway(client: Client, log: Logger): void {
  // `as unknown as`: handlePacket is discord.js's internal (private, untyped) entry for every gateway packet.
  const ws = client.ws as unknown as { handlePacket: HandlePacket };
  const handle = ws.handlePacket.bind(ws);
  ws.handlePacket = (packet, shard) => {
    if (packet?.t === 'INTERACTION_CREATE') {
      const checked = interactionPacket.safeParse(packet.d);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        log.warn({ id: (packet.d as { id?: unknown } | null)?.id, issue: issue && `${issue.path.join('.')}: ${issue.message}` }, 'dropped a malformed interaction');
        return true;
      }
    }
    try {
      return handle(packet, shard);
    } catch (error) {
      log.error({ err: error, event: packet?.t }, 'a gateway event could not be read; dropped it');
      return true;
    }
  };
}
