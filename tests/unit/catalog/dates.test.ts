import { describe, expect, it } from 'vitest';
import {
  daysToPeriodEnd,
  formatSourceDate,
  isPeriodOver,
  parseSourceDate,
} from '../../../src/catalog/dates.ts';
import { SourceDateSchema } from '../../../src/catalog/schema.ts';

describe('dates as the sources give them', () => {
  it('shows a day as written, an approximate month as "approx.", a range with both ends', () => {
    expect(formatSourceDate('2026-04-28')).toBe('2026-04-28');
    expect(formatSourceDate('2026-12')).toBe('approx. Dec 2026');
    expect(formatSourceDate('2026-10..2026-12')).toBe('Oct 2026 – Dec 2026');
    expect(formatSourceDate('2026-10-01..2026-11-15')).toBe('2026-10-01 – 2026-11-15');
  });

  it('covers the whole period: a month ends when the next one starts', () => {
    expect(parseSourceDate('2026-12')).toMatchObject({
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
      approximate: true,
    });
    expect(parseSourceDate('2026-04-28').approximate).toBe(false);
    expect(isPeriodOver('2026-12', new Date('2026-12-31T23:59:59Z'))).toBe(false);
    expect(isPeriodOver('2026-12', new Date('2027-01-01T00:00:00Z'))).toBe(true);
    expect(isPeriodOver('2026-04-28', new Date('2026-04-28T23:00:00Z'))).toBe(false);
    expect(isPeriodOver('2026-04-28', new Date('2026-04-29T00:00:00Z'))).toBe(true);
    expect(daysToPeriodEnd('2026-12', new Date('2026-12-03T04:00:00Z'))).toBe(28);
    expect(daysToPeriodEnd('2026-12', new Date('2027-01-02T04:00:00Z'))).toBe(-2);
  });

  it('accepts the three forms and rejects the rest with what to write', () => {
    for (const good of ['2026-04-28', '2026-12', '2026-10..2026-12', '2026-10-01..2026-12'])
      expect(SourceDateSchema.safeParse(good).success, good).toBe(true);
    const bad = SourceDateSchema.safeParse('Dec 2026');
    expect(bad.error?.issues[0]?.message).toBe(
      'write a day as YYYY-MM-DD ("2026-04-28"), an approximate month as YYYY-MM ("2026-12") or a range as FROM..TO ("2026-10..2026-12")',
    );
    expect(SourceDateSchema.safeParse('2026-13').success).toBe(false);
  });
});
