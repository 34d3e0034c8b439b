/**
 * Reading and writing snapshot files: deterministic JSON (sorted keys, two-space indent, final
 * newline) written atomically (temporary file in the same folder, then rename), so that an
 * interrupted sync leaves the previous file whole and a diff shows only what changed.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../utils/write-file-atomic.ts';
import type { z } from 'astro/zod';

/** Default folder of the committed snapshot, relative to the project root. */
export const DEFAULT_SNAPSHOT_DIR = 'content/snapshot';

/** File names of the snapshot parts inside the snapshot folder. */
export const SNAPSHOT_FILES = {
  images: 'images.json',
  repos: 'repos.json',
  audit: 'audit.json',
} as const;

/** A snapshot file that exists but does not match its schema. */
export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
  readonly file: string;
  readonly issues: string[];
  constructor(file: string, issues: string[], remedy = 'Run `npm run sync` to write it again.') {
    super(`${file} is not a valid snapshot:\n  ${issues.join('\n  ')}\n${remedy}`);
    this.file = file;
    this.issues = issues;
  }
}

/** Return a copy of a JSON value with the keys of every object sorted. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

/** Serialise a value as deterministic JSON: sorted keys, two-space indent, final newline. */
export function stringifySnapshot(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Write a snapshot file atomically, as deterministic JSON. */
export async function writeSnapshotFile(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, stringifySnapshot(value));
}

/**
 * Parse the text of a snapshot file and check it against its schema; `file` names it in errors.
 * Throws {@link SnapshotFormatError} when the text is not valid JSON or does not match.
 */
export function parseSnapshotText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  remedy?: string,
): z.output<S> {
  return checkSnapshot(file, parseSnapshotJson(file, text, remedy), schema, remedy);
}

/** Parse the text of a snapshot file as JSON; `file` names it in the {@link SnapshotFormatError} thrown when it is not JSON. */
export function parseSnapshotJson(file: string, text: string, remedy?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SnapshotFormatError(file, [(error as Error).message], remedy);
  }
}

/** Check parsed JSON against a snapshot schema; `file` names it in the {@link SnapshotFormatError} thrown when it does not match. */
export function checkSnapshot<S extends z.ZodType>(
  file: string,
  data: unknown,
  schema: S,
  remedy?: string,
): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new SnapshotFormatError(
      file,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      remedy,
    );
  }
  return result.data;
}

/**
 * Read a snapshot file and check it against its schema.
 * Returns undefined when the file does not exist; throws {@link SnapshotFormatError} when it is invalid.
 */
export async function readSnapshotFile<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  if (!existsSync(file)) return undefined;
  return parseSnapshotText(file, await readFile(file, 'utf8'), schema);
}
