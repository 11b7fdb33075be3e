import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { canonicalZone, formatLocal, zoneWarning } from '../../src/core/time.js';

describe('time zone names', () => {
  it('stores the canonical IANA name whatever the case typed', () => {
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('Etc/UTC')).toBe('UTC');
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(canonicalZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalZone('Mars/Base')).toBeUndefined();
  });

  it('keeps a legacy name as typed and warns, suggesting a city zone', () => {
    expect(canonicalZone('est')).toBe('EST');
    expect(zoneWarning('EST')).toBe('EST is a fixed offset (UTC−5) that never changes for summer time; for local time there, use tz:America/New_York.');
    expect(zoneWarning('PST8PDT')).toMatch(/tz:America\/Los_Angeles/);
    expect(canonicalZone('etc/gmt+5')).toBe('Etc/GMT+5');
    expect(zoneWarning('Etc/GMT+5')).toMatch(/^Etc\/GMT\+5 is a fixed offset \(UTC−5: these names flip the sign\)/);
    expect(zoneWarning('Europe/Berlin')).toBeUndefined();
    expect(zoneWarning('UTC')).toBeUndefined();
  });

  it('reads DOJO_TIMEZONE as its canonical name, so new teams start with it', () => {
    expect(loadConfig({ DOJO_TIMEZONE: 'europe/berlin' }).timezone).toBe('Europe/Berlin');
  });
});

describe('times shown to people', () => {
  it('names each zone by its own abbreviation, also when zones alternate (formatters are kept per zone)', () => {
    const winter = new Date('2026-11-24T16:00:00Z');
    const summer = new Date('2026-07-14T16:00:00Z');
    for (let i = 0; i < 2; i++) {
      expect(formatLocal(winter, 'Europe/Berlin')).toBe('Tue 24 Nov, 17:00 CET');
      expect(formatLocal(winter, 'America/New_York')).toBe('Tue 24 Nov, 11:00 EST');
      expect(formatLocal(summer, 'Europe/Berlin')).toBe('Tue 14 Jul, 18:00 CEST');
      expect(formatLocal(winter, 'Asia/Kolkata')).toBe('Tue 24 Nov, 21:30 GMT+5:30');
    }
  });
});
