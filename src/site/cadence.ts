/**
 * How often a tag moves: its builds from the snapshot's history (newest first), the usual interval
 * between them, and whether the tag has gone quiet for longer than that.
 */
import type { TagSnapshot } from '../snapshot/index.ts';

const DAY = 86_400_000;

/** One move of a tag: when the sync first saw it point at a build, and which build. */
export interface TagMove {
  digest: string;
  created: string | null;
  seenAt: string;
}

/** What a tag's history says about its rhythm. */
export interface Cadence {
  moves: TagMove[];
  /** The median number of days between two builds, or null with fewer than two builds. */
  everyDays: number | null;
  /** Days since the newest build was first seen. */
  quietDays: number | null;
  /** True when the tag has not moved for more than twice its usual interval (and a day). */
  overdue: boolean;
}

/** Return when a build happened: its build time when known, else when the sync first saw it. */
function moveTime(move: TagMove): number {
  return Date.parse(move.created ?? move.seenAt);
}

/** Work out a tag's cadence from its history, relative to `now`. */
export function tagCadence(tag: Pick<TagSnapshot, 'history'>, now: Date): Cadence {
  const moves = [...(tag.history ?? [])].sort((a, b) => moveTime(b) - moveTime(a));
  const gaps = moves
    .slice(1)
    .map((move, index) => (moveTime(moves[index]!) - moveTime(move)) / DAY)
    .filter((gap) => gap >= 0)
    .sort((a, b) => a - b);
  const everyDays =
    gaps.length === 0
      ? null
      : gaps.length % 2 === 1
        ? gaps[(gaps.length - 1) / 2]!
        : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2;
  const quietDays = moves[0] ? (now.getTime() - moveTime(moves[0])) / DAY : null;
  const overdue = everyDays !== null && quietDays !== null && quietDays > 2 * everyDays + 1;
  return { moves, everyDays, quietDays, overdue };
}

/** Say a cadence as people do: `a new build every 7 days`, `a new build about daily`, `one build seen`. */
export function describeCadence(cadence: Cadence): string {
  if (cadence.everyDays === null)
    return cadence.moves.length === 1 ? 'one build seen' : 'no builds seen';
  const days = Math.round(cadence.everyDays);
  if (days <= 1) return 'a new build about daily';
  return `a new build every ${days} days`;
}
