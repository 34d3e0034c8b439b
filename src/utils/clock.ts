/**
 * The build's clock. Pages judge dates (overdue, missed, "3 days ago") against the end of the UTC
 * day the build runs on rather than the second it runs, so that two builds on the same day from the
 * same inputs write the same bytes; that is what lets an unchanged rebuild reuse the last output
 * (scripts/build.ts). Ages read as calendar days ("yesterday" is the UTC day before), and a date due
 * today is not overdue before the day is over. `IMAGE_MODE_BUILD_DATE=2026-12-24` builds the site as
 * it will read on that day.
 */

/** The environment variable that pins the build's day. */
export const BUILD_DATE_VARIABLE = 'IMAGE_MODE_BUILD_DATE';

/** Return the build's day, `2026-12-03`: IMAGE_MODE_BUILD_DATE when set, else today in UTC. */
export function buildDay(
  env: Record<string, string | undefined> = process.env,
  today: Date = new Date(),
): string {
  const pinned = env[BUILD_DATE_VARIABLE]?.trim();
  if (!pinned) return today.toISOString().slice(0, 10);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(pinned);
  const date = match ? new Date(`${pinned}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== pinned)
    throw new Error(
      `${BUILD_DATE_VARIABLE}="${pinned}" is not a calendar date; write it as YYYY-MM-DD (for example 2026-12-24), or unset it to build as of today.`,
    );
  return pinned;
}

/** Return the moment pages judge dates against: the last millisecond of the build's UTC day. */
export function buildNow(
  env: Record<string, string | undefined> = process.env,
  today: Date = new Date(),
): Date {
  return new Date(Date.parse(`${buildDay(env, today)}T00:00:00Z`) + 86_400_000 - 1);
}
