/**
 * Display names and the workspace-admin flag, cached per workspace and user. A lookup never holds up an
 * event for long: past a short wait the event goes on with what the payload said (and `isPlatformAdmin`
 * left unknown), while the lookup finishes for next time.
 *
 * A workspace's members are learned in bulk (users.list, a page of up to 1,000 a call) on the first miss
 * and again once a TTL, not one users.info call each (issue 13): the day the bot is installed every
 * member is new to it, and Web API calls were half of the bot's CPU per answer. A member the listing did
 * not have (joined since, or past its cap) and a listing that failed fall back to users.info.
 */
import { within } from '../../src/within.js';
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
  id?: string;
  name?: string;
  deleted?: boolean;
  real_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

const TTL_MS = 10 * 60_000;
/**
 * Users kept, all workspaces together (a couple of hundred bytes each, so some 20 MB at most): a listing
 * of the largest workspace fits with room for others; past it the oldest written go first.
 */
const MAX_CACHED = 100_000;
/** users.list's largest page. */
const PAGE_SIZE = 1000;
/**
 * A listing stops here (50 pages; users.list is Tier 2, about 20 calls a minute): in a bigger workspace
 * the members past it are looked up one by one, as before.
 */
const MAX_LISTED = 50_000;

/** A workspace's latest users.list run. */
interface Listing {
  at: number;
  running: boolean;
  /** Misses waiting for their user to be listed (or the listing to end), by user id. */
  waiting: Map<string, (() => void)[]>;
}

export class UserDirectory {
  /** In the order written (Map order), so the oldest entry is the first evicted. */
  private readonly cache = new Map<string, { info: UserInfo; at: number }>();
  private readonly listings = new Map<string, Listing>();
  private readonly inFlight = new Map<string, Promise<UserInfo | undefined>>();
  /** Each workspace's user groups and their members, fetched once a TTL for all its users. */
  private readonly groups = new Map<string, { members: Map<string, string[]>; at: number }>();

  constructor(
    private readonly workspaces: Workspaces,
    private readonly log: Logger,
    private readonly options: { ttlMs?: number; waitMs?: number; maxCached?: number } = {},
  ) {}

  private get ttlMs(): number {
    return this.options.ttlMs ?? TTL_MS;
  }

  async lookup(teamId: string, userId: string, waitMs = this.options.waitMs ?? 1500): Promise<UserInfo | undefined> {
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.info;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(teamId, userId).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    // Known before: the event goes on with what we knew, and the lookup refreshes it for next time
    // (no Web API call on the hot path once a user has been seen).
    if (cached) return cached.info;
    return within(pending, waitMs);
  }

  /** The event enriched from what is cached (however old), without a call; undefined for a user not seen yet. */
  cached<E extends InboundEvent>(event: E): E | undefined {
    const info = this.cache.get(`${event.team.id}:${event.user.id}`)?.info;
    return info && this.withInfo(event, info);
  }

  private async fetch(teamId: string, userId: string): Promise<UserInfo | undefined> {
    await this.listed(teamId, userId);
    const listed = this.cache.get(`${teamId}:${userId}`);
    if (listed && Date.now() - listed.at < this.ttlMs) return listed.info;
    try {
      const client = await this.workspaces.clientFor(teamId);
      const result = await client.users.info({ user: userId });
      const u = result.user as SlackUser | undefined;
      if (!u) return undefined;
      const info = infoOf(u, userId, await this.groupsOf(teamId, client));
      this.remember(`${teamId}:${userId}`, info);
      return info;
    } catch (error) {
      this.log.warn({ err: error, teamId, userId }, 'slack users.info failed; using the name from the payload');
      return undefined;
    }
  }

  /**
   * Resolves once the workspace's listing has this user or has ended; starts a listing when none began
   * within the TTL (one at a time). Resolves at once when the latest listing is over.
   */
  private listed(teamId: string, userId: string): Promise<void> {
    let listing = this.listings.get(teamId);
    if (!listing || (!listing.running && Date.now() - listing.at >= this.ttlMs)) {
      listing = { at: Date.now(), running: true, waiting: new Map() };
      this.listings.set(teamId, listing);
      void this.list(teamId, listing);
    }
    if (!listing.running) return Promise.resolve();
    const waiting = listing.waiting;
    return new Promise((resolve) => waiting.set(userId, [...(waiting.get(userId) ?? []), resolve]));
  }

  /**
   * Every page of users.list into the cache, keeping only what UserInfo needs. Never rejects: a failure
   * (missing users:read, rate limited, Slack down) is logged once and the misses go to users.info until
   * the next listing, a TTL later. Its client is its own: a 429 ends the listing instead of pausing the
   * workspace's queue of posts.
   */
  private async list(teamId: string, listing: Listing): Promise<void> {
    let count = 0;
    try {
      const client = await this.workspaces.ownClientFor(teamId);
      // The user groups come alongside the first page (groupsOf never rejects): a first lookup waits one round trip, not two.
      const grouped = this.groupsOf(teamId, client);
      let cursor: string | undefined;
      do {
        const [page, groups] = await Promise.all([client.users.list({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }), grouped]);
        for (const u of (page.members ?? []) as SlackUser[]) {
          // Deactivated accounts answer nothing: not worth their memory (users.info still finds them).
          if (!u.id || u.deleted) continue;
          this.remember(`${teamId}:${u.id}`, infoOf(u, u.id, groups));
          count++;
          const waiters = listing.waiting.get(u.id);
          if (waiters) {
            listing.waiting.delete(u.id);
            for (const resolve of waiters) resolve();
          }
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && count < MAX_LISTED);
      if (cursor) this.log.info({ teamId, listed: count }, 'slack users.list stopped at its cap; other users are looked up one by one');
    } catch (error) {
      this.log.warn({ err: error, teamId, listed: count }, 'slack users.list failed; new users are looked up one by one (users.info) until it is tried again');
    } finally {
      listing.running = false;
      for (const waiters of listing.waiting.values()) for (const resolve of waiters) resolve();
      listing.waiting.clear();
    }
  }

  /** Caches a user as the newest entry, evicting the oldest past the bound. */
  private remember(key: string, info: UserInfo): void {
    this.cache.delete(key);
    this.cache.set(key, { info, at: Date.now() });
    if (this.cache.size > (this.options.maxCached ?? MAX_CACHED)) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * User group ids by member, from usergroups.list. A workspace without user groups (free plans) or
   * without the usergroups:read scope simply has none: mapped groups then change nothing.
   */
  private async groupsOf(teamId: string, client: Awaited<ReturnType<Workspaces['clientFor']>>): Promise<Map<string, string[]>> {
    const cached = this.groups.get(teamId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.members;
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

function infoOf(u: SlackUser, userId: string, groups: Map<string, string[]>): UserInfo {
  return {
    name: u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || userId,
    isPlatformAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
    isBot: Boolean(u.is_bot),
    groupIds: groups.get(userId) ?? [],
  };
}
