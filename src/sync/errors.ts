/** A sync that would lose data refuses to run: nothing is written, and `npm run sync` exits 2. */
export class SyncRefusedError extends Error {
  override name = 'SyncRefusedError';
}

/**
 * Refuse `--only` over a snapshot file that cannot be read: a partial sync keeps the other
 * records from that file, so writing it would throw their last good data away.
 */
export function refuseOnlyOverInvalid(file: string, reason: string, what: string): never {
  throw new SyncRefusedError(
    `${file} cannot be read (${reason}), and --only would keep the other ${what} from it: nothing was written. Restore the file (e.g. \`git checkout ${file}\`) or run the sync without --only to write it anew.`,
  );
}
