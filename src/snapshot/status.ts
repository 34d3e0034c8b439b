/**
 * The status rules of the snapshot, shared by every sync step: a source that fails keeps its last
 * good data, marked stale with the error; one never fetched is unavailable; sample data never stands
 * in for real data (nor real for sample); and a snapshot is usable while every record is live, or
 * stale within the allowed age.
 */
import type {
  ImageSnapshot,
  ImagesSnapshot,
  RepoSnapshot,
  SnapshotHeader,
  SourceStatus,
} from './schema.ts';

/** Keep an image's last good data after a failure: stale when it had data, unavailable when never fetched. */
export function imageFailed(
  ref: string,
  previous: ImageSnapshot | undefined,
  error: string,
): ImageSnapshot {
  if (previous && previous.fetchedAt) return { ...previous, status: 'stale', error };
  return {
    ref,
    status: 'unavailable',
    fetchedAt: null,
    error,
    tagCount: 0,
    tags: [],
    mirrors: previous?.mirrors ?? [],
  };
}

/** Keep the last good data of a repository that failed now, or mark it unavailable. */
export function repoFailed(
  url: string,
  forge: RepoSnapshot['forge'],
  previous: RepoSnapshot | undefined,
  error: string,
): RepoSnapshot {
  if (previous && previous.fetchedAt !== null && previous.status !== 'unavailable') {
    return { ...previous, url, forge, status: 'stale', error };
  }
  return {
    url,
    forge,
    status: 'unavailable',
    fetchedAt: null,
    error,
    facts: null,
    owners: [],
    pipelines: [],
  };
}

/**
 * Return the previous snapshot when it may serve as last good data for a sync: sample data is
 * never kept by a real sync (a failed real sync must not present fixture digests as the
 * registry's), nor real data by a sample one. The warning says why a previous file was dropped.
 */
export function usablePrevious<T extends SnapshotHeader>(
  previous: T | undefined,
  sample: boolean,
  what: string,
): { usable: T | undefined; warning?: string } {
  if (!previous || previous.sample === sample) return { usable: previous };
  return {
    usable: undefined,
    warning: `Not keeping the previous ${what} data: it is ${previous.sample ? 'sample' : 'real'} data and this sync is ${sample ? 'a sample' : 'real'}.`,
  };
}

/** A record with a status, as every snapshot record has. */
interface StatusRecord {
  status: SourceStatus;
  fetchedAt: string | null;
  error?: string | undefined;
}

/** Decide whether records are usable: every one live, or stale within the allowed age. */
export function assessFreshness<R extends StatusRecord>(
  records: readonly R[],
  nameOf: (record: R) => string,
  maxStaleDays: number,
  now: Date,
): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  for (const record of records) {
    if (record.status === 'live') continue;
    if (record.status === 'unavailable') {
      problems.push(`${nameOf(record)}: no data (${record.error ?? 'never fetched'}).`);
      continue;
    }
    const age = record.fetchedAt
      ? (now.getTime() - Date.parse(record.fetchedAt)) / 86_400_000
      : Infinity;
    if (age > maxStaleDays) {
      problems.push(
        `${nameOf(record)}: data from ${record.fetchedAt} is older than ${maxStaleDays} days (${record.error ?? 'stale'}).`,
      );
    }
  }
  return { ok: problems.length === 0, problems };
}

/** Decide whether an images snapshot is usable: every image live, or stale within the allowed age. */
export function assessImages(
  snapshot: ImagesSnapshot,
  maxStaleDays: number,
  now: Date,
): { ok: boolean; problems: string[] } {
  return assessFreshness(snapshot.images, (image) => image.ref, maxStaleDays, now);
}
