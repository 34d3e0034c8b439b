/**
 * Dates as the sources give them ({@link SourceDateSchema}): a day, an approximate month or a
 * range. A period ends at the end of its last day or month, and nothing is late before then.
 * Pure: text in, UTC instants and labels out.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A catalog date taken apart: the period it covers, in UTC. */
export interface SourcePeriod {
  /** The text as written, e.g. "2026-12". */
  text: string;
  /** The first instant of the period. */
  start: Date;
  /** The first instant after the period: the day after a day, the month after a month. */
  end: Date;
  /** Whether the source gave less than a day (a month, or a range). */
  approximate: boolean;
}

/** Read one side of a date: a day or a month, as its first and first-after instants. */
function readPoint(text: string): { start: number; end: number; month: boolean } {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number?];
  if (day === undefined)
    return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1), month: true };
  return {
    start: Date.UTC(year, month - 1, day),
    end: Date.UTC(year, month - 1, day + 1),
    month: false,
  };
}

/** Take a catalog date apart into the period it covers ("2026-12" is all of December 2026). */
export function parseSourceDate(text: string): SourcePeriod {
  const [from, to] = text.split('..') as [string, string?];
  const first = readPoint(from);
  const last = to === undefined ? first : readPoint(to);
  return {
    text,
    start: new Date(first.start),
    end: new Date(last.end),
    approximate: to !== undefined || first.month,
  };
}

/** Write one side of a date for readers: "2026-04-28" as is, "2026-12" as "Dec 2026". */
function formatPoint(text: string): string {
  const [year, month, day] = text.split('-');
  return day === undefined ? `${MONTHS[Number(month) - 1]} ${year}` : text;
}

/** Write a catalog date as the source meant it: "2026-04-28", "approx. Dec 2026", "Oct 2026 – Dec 2026". */
export function formatSourceDate(text: string): string {
  const [from, to] = text.split('..') as [string, string?];
  if (to !== undefined) return `${formatPoint(from)} – ${formatPoint(to)}`;
  return from.length === 7 ? `approx. ${formatPoint(from)}` : from;
}

/** Tell whether a date's whole period is over at `now`: a month is over when the next one starts. */
export function isPeriodOver(text: string, now: Date): boolean {
  return now.getTime() >= parseSourceDate(text).end.getTime();
}

/**
 * Count whole days from `now` to the last day of a date's period: 0 on that day, negative once the
 * period is over (-1 the day after it ends).
 */
export function daysToPeriodEnd(text: string, now: Date): number {
  const lastDay = parseSourceDate(text).end.getTime() - 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((lastDay - today) / 86_400_000);
}
