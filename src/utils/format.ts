/** Formatting for pages: dates, sizes, digests. Generic, no domain knowledge. */

/** Format an ISO date-time as `2026-11-27 04:00 UTC`; `unknown` for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Format an ISO date-time as its calendar day, `2026-11-27`; `unknown` for null. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/** Say how long ago a date was, relative to `now`: `today`, `3 days ago`, `5 months ago`. */
export function formatAge(iso: string | null | undefined, now: Date): string {
  if (!iso) return 'unknown';
  const days = Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000);
  if (Number.isNaN(days)) return 'unknown';
  if (days < 0) return 'in the future';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  if (days < 730) return `${Math.round(days / 30)} months ago`;
  return `${Math.round(days / 365)} years ago`;
}

/** Format a byte count with binary units: `812.4 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Shorten a digest for display: `sha256:0123456789ab`. */
export function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/** Say how many whole days a date lies from a reference: `2 days before`, `12 days after`, `on the day of`. */
export function formatDaysFrom(iso: string, reference: string): string {
  const days = Math.round((Date.parse(iso) - Date.parse(reference)) / 86_400_000);
  if (Number.isNaN(days)) return 'unknown';
  if (days === 0) return 'on the day of';
  const count = Math.abs(days);
  return `${count} day${count === 1 ? '' : 's'} ${days < 0 ? 'before' : 'after'}`;
}
