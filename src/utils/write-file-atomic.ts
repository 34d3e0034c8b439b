/** Atomic file writes, shared by the snapshot, the registry cache and the forges' ETag cache. */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file atomically: to a hidden temporary sibling first (`.<name>.<pid>.<random>.tmp`, so
 * concurrent writes never share one), then rename over the target. A write cut short leaves the
 * previous file whole, and at most the temporary file, which is removed when the write fails.
 */
export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const random = Math.random().toString(36).slice(2);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${random}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
