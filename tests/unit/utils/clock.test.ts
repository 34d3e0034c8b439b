import { describe, expect, it } from 'vitest';
import { buildDay, buildNow } from '../../../src/utils/clock.ts';
import { formatAge } from '../../../src/utils/format.ts';
import { isPeriodOver } from '../../../src/catalog/index.ts';

describe('the build clock', () => {
  const morning = new Date('2026-12-03T06:15:00Z');

  it('is the last millisecond of the UTC day, whatever the hour', () => {
    expect(buildDay({}, morning)).toBe('2026-12-03');
    expect(buildNow({}, morning).toISOString()).toBe('2026-12-03T23:59:59.999Z');
    expect(buildNow({}, new Date('2026-12-03T23:50:00Z')).toISOString()).toBe(
      '2026-12-03T23:59:59.999Z',
    );
  });

  it('is pinned by IMAGE_MODE_BUILD_DATE', () => {
    const env = { IMAGE_MODE_BUILD_DATE: '2026-12-24' };
    expect(buildDay(env, morning)).toBe('2026-12-24');
    expect(buildNow(env, morning).toISOString()).toBe('2026-12-24T23:59:59.999Z');
  });

  it('refuses a pinned day that is not a calendar date, saying how to write one', () => {
    for (const value of ['2026-13-01', '2026-02-30', '24.12.2026', '2026-12'])
      expect(() => buildDay({ IMAGE_MODE_BUILD_DATE: value }, morning)).toThrow(
        `IMAGE_MODE_BUILD_DATE="${value}" is not a calendar date; write it as YYYY-MM-DD`,
      );
  });

  it('makes ages calendar days and keeps today’s due dates open until the day ends', () => {
    const now = buildNow({}, morning);
    expect(formatAge('2026-12-03T20:00:00Z', now)).toBe('today');
    expect(formatAge('2026-12-02T23:30:00Z', now)).toBe('yesterday');
    expect(formatAge('2026-12-02T00:30:00Z', now)).toBe('yesterday');
    expect(formatAge('2026-12-01T23:30:00Z', now)).toBe('2 days ago');
    expect(isPeriodOver('2026-12-03', now)).toBe(false);
    expect(isPeriodOver('2026-12-02', now)).toBe(true);
    expect(isPeriodOver('2026-12', now)).toBe(false);
  });
});
