import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretBox, SecretUnreadable } from '../../src/secrets.js';

const KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('hex');

describe('secrets at rest', () => {
  it('seals a token so it neither shows nor opens anywhere but where it was sealed', () => {
    const box = secretBox({ key: KEY });
    const sealed = box.seal('xoxb-secret', 'slack_installation/T1/bot.token');
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('xoxb-secret');
    expect(box.seal('xoxb-secret', 'slack_installation/T1/bot.token')).not.toBe(sealed);
    expect(box.open(sealed, 'slack_installation/T1/bot.token')).toEqual({ value: 'xoxb-secret', stale: false });
    // Copied to another workspace's row, or altered, it does not open.
    expect(() => box.open(sealed, 'slack_installation/T2/bot.token')).toThrow(SecretUnreadable);
    // One character inside the tag changes (the third from the end carries six whole bits of it).
    const altered = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(altered).not.toBe(sealed);
    expect(() => box.open(altered, 'slack_installation/T1/bot.token')).toThrow(SecretUnreadable);
  });

  it('opens what the old key sealed during a rotation, and says to write it back', () => {
    const sealed = secretBox({ key: KEY }).seal('xoxb-secret', 'ctx');
    const rotating = secretBox({ key: NEW_KEY, oldKey: KEY });
    expect(rotating.open(sealed, 'ctx')).toEqual({ value: 'xoxb-secret', stale: true });
    const resealed = rotating.seal('xoxb-secret', 'ctx');
    expect(secretBox({ key: NEW_KEY }).open(resealed, 'ctx')).toEqual({ value: 'xoxb-secret', stale: false });
    // Once the old key is gone, what only it sealed is unreadable, with a line that says why.
    expect(() => secretBox({ key: NEW_KEY }).open(sealed, 'ctx')).toThrow(/neither DOJO_ENCRYPTION_KEY nor DOJO_ENCRYPTION_KEY_OLD/);
  });

  it('reads tokens stored before encryption was on, marked for sealing', () => {
    expect(secretBox({ key: KEY }).open('xoxb-plain', 'ctx')).toEqual({ value: 'xoxb-plain', stale: true });
    expect(secretBox().open('xoxb-plain', 'ctx')).toEqual({ value: 'xoxb-plain', stale: false });
    expect(() => secretBox().open(secretBox({ key: KEY }).seal('x', 'ctx'), 'ctx')).toThrow(/set DOJO_ENCRYPTION_KEY/);
  });
});
