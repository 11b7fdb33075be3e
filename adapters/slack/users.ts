/**
 * Display names and the workspace-admin flag, from users.info, cached per workspace and user. A lookup
 * never holds up an event for long: past a short wait the event goes on with what the payload said
 * (and `isPlatformAdmin` left unknown), while the lookup finishes for next time.
 */
import type { InboundEvent } from '../../src/core/ports.js';
import type { Logger } from '../../src/log.js';
import type { Workspaces } from './workspaces.js';

export interface UserInfo {
  name: string;
  isPlatformAdmin: boolean;
  isBot: boolean;
}

interface SlackUser {
  name?: string;
  real_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

export class UserDirectory {
  private readonly cache = new Map<string, { info: UserInfo; at: number }>();
  private readonly inFlight = new Map<string, Promise<UserInfo | undefined>>();

  constructor(
    private readonly workspaces: Workspaces,
    private readonly log: Logger,
    private readonly options: { ttlMs?: number; waitMs?: number } = {},
  ) {}

  async lookup(teamId: string, userId: string, waitMs = this.options.waitMs ?? 1500): Promise<UserInfo | undefined> {
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < (this.options.ttlMs ?? 10 * 60_000)) return cached.info;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(teamId, userId).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    try {
      return (await Promise.race([pending, timeout])) ?? cached?.info;
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetch(teamId: string, userId: string): Promise<UserInfo | undefined> {
    try {
      const client = await this.workspaces.clientFor(teamId);
      const result = await client.users.info({ user: userId });
      const u = result.user as SlackUser | undefined;
      if (!u) return undefined;
      const info: UserInfo = {
        name: u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || userId,
        isPlatformAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
        isBot: Boolean(u.is_bot),
      };
      this.cache.set(`${teamId}:${userId}`, { info, at: Date.now() });
      return info;
    } catch (error) {
      this.log.warn({ err: error, teamId, userId }, 'slack users.info failed; using the name from the payload');
      return undefined;
    }
  }

  /** The event with the user's display name and admin flag filled in, when known. */
  async enrich<E extends InboundEvent>(event: E, waitMs?: number): Promise<E> {
    const info = await this.lookup(event.team.id, event.user.id, waitMs);
    if (!info) return event;
    return { ...event, user: { ...event.user, name: info.name, isPlatformAdmin: info.isPlatformAdmin, isBot: info.isBot } };
  }
}
