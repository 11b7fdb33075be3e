/**
 * Loaded into LakeYS's Trivia Bot (its manager and shard processes, through NODE_OPTIONS) by
 * bench/floors/lakeys.ts: points @discordjs/rest's default API base, which its discord.js client and its
 * command registration both start from, at the local fake Discord (LAKEYS_API). Nothing else changes.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const peer = createRequire(join(process.env.LAKEYS_DIR ?? '.', 'index.js'));
peer('@discordjs/rest').DefaultRestOptions.api = process.env.LAKEYS_API;
