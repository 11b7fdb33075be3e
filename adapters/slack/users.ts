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
  /** The user groups (`S…`) the user is in: an admin may map them to dojo roles. */
  groupIds: string[];
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
  /** Each workspace's user groups and their members, fetched once a TTL for all its users. */
  private readonly groups = new Map<string, { members: Map<string, string[]>; at: number }>();

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
    // Known before: the event goes on with what we knew, and the lookup refreshes it for next time
    // (no Web API call on the hot path once a user has been seen).
    if (cached) return cached.info;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The event enriched from what is cached (however old), without a call; undefined for a user not seen yet. */
  cached<E extends InboundEvent>(event: E): E | undefined {
    const info = this.cache.get(`${event.team.id}:${event.user.id}`)?.info;
    return info && this.withInfo(event, info);
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
        groupIds: (await this.groupsOf(teamId, client)).get(userId) ?? [],
      };
      this.cache.set(`${teamId}:${userId}`, { info, at: Date.now() });
      return info;
    } catch (error) {
      this.log.warn({ err: error, teamId, userId }, 'slack users.info failed; using the name from the payload');
      return undefined;
    }
  }

  /**
   * User group ids by member, from usergroups.list. A workspace without user groups (free plans) or
   * without the usergroups:read scope simply has none: mapped groups then change nothing.
   */
  private async groupsOf(teamId: string, client: Awaited<ReturnType<Workspaces['clientFor']>>): Promise<Map<string, string[]>> {
    const cached = this.groups.get(teamId);
    if (cached && Date.now() - cached.at < (this.options.ttlMs ?? 10 * 60_000)) return cached.members;
    const members = new Map<string, string[]>();
    try {
      const result = await client.usergroups.list({ include_users: true });
      for (const g of (result.usergroups ?? []) as { id?: string; users?: string[] }[]) {
        if (!g.id) continue;
        for (const user of g.users ?? []) members.set(user, [...(members.get(user) ?? []), g.id]);
      }
    } catch (error) {
      this.log.debug({ err: error, teamId }, 'slack usergroups.list failed; no user groups for roles');
    }
    this.groups.set(teamId, { members, at: Date.now() });
    return members;
  }

  /** The event with the user's display name, admin flag and user groups filled in, when known. */
  async enrich<E extends InboundEvent>(event: E, waitMs?: number): Promise<E> {
    const info = await this.lookup(event.team.id, event.user.id, waitMs);
    return info ? this.withInfo(event, info) : event;
  }

  private withInfo<E extends InboundEvent>(event: E, info: UserInfo): E {
    return { ...event, user: { ...event.user, name: info.name, isPlatformAdmin: info.isPlatformAdmin, isBot: info.isBot, roleIds: info.groupIds } };
  }
}
