import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { canonicalZone, zoneWarning } from '../../src/core/time.js';

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
