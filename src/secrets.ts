/**
 * Secrets at rest (Slack bot and refresh tokens): AES-256-GCM under DOJO_ENCRYPTION_KEY, bound to
 * where the secret lives (the `context`, e.g. its row and field), so a sealed value copied to another
 * row does not open. A sealed value names its key by a short fingerprint; values sealed with
 * DOJO_ENCRYPTION_KEY_OLD still open and report `stale`, so the caller writes them back under the new
 * key (rotation by re-encrypting). Values stored before encryption was on open as `stale` too.
 */
import { DojoError } from './core/errors.js';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

export interface SecretBox {
  /** True when values are sealed (a key is configured); false stores them as they are. */
  readonly sealing: boolean;
  seal(value: string, context: string): string;
  /** The value; `stale` when it is not sealed under the current key (write it back sealed). */
  open(stored: string, context: string): { value: string; stale: boolean };
}

export class SecretUnreadable extends DojoError {
  readonly code = 'secret_unreadable';
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** Decodes a 32-byte key given as 64 hex digits or base64. */
export function decodeKey(text: string): Buffer {
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length !== 32) throw new Error('an encryption key must be 32 bytes, in base64 or hex');
  return bytes;
}

function key(text: string): Key {
  const bytes = decodeKey(text);
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/** Seals under `key`; opens what `key` or `oldKey` sealed. Without a key, values are stored as they are. */
export function secretBox(keys?: { key: string; oldKey?: string }): SecretBox {
  const current = keys ? key(keys.key) : undefined;
  const old = keys?.oldKey ? key(keys.oldKey) : undefined;
  return {
    sealing: current !== undefined,
    seal(value, context) {
      if (!current) return value;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return `${PREFIX}${current.id}:${[iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.')}`;
    },
    open(stored, context) {
      if (!stored.startsWith(PREFIX)) return { value: stored, stale: current !== undefined };
      const [id, sealed] = stored.slice(PREFIX.length).split(':');
      const k = [current, old].find((candidate) => candidate?.id === id);
      if (!k || !sealed) {
        throw new SecretUnreadable(
          current
            ? 'a stored secret was sealed with a key that is neither DOJO_ENCRYPTION_KEY nor DOJO_ENCRYPTION_KEY_OLD'
            : 'a stored secret is encrypted: set DOJO_ENCRYPTION_KEY to the key it was sealed with',
        );
      }
      const [iv, body, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      try {
        const decipher = createDecipheriv('aes-256-gcm', k.bytes, iv!);
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tag!);
        const value = Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
        return { value, stale: k !== current };
      } catch (error) {
        throw new SecretUnreadable(`a stored secret does not open here (${context}): it was altered or belongs elsewhere`, { cause: error });
      }
    },
  };
}
