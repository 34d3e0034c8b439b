/**
 * Unverified facts: every catalog field whose `provenance:` says `unverified:`, with the file and
 * field it is written in, so that pages can mark it and /unverified/ can list it for someone who
 * knows the answer. Pure functions over the validated catalog.
 */
import type { Catalog, FactProvenance, Provenance } from '../catalog/index.ts';
import { withBase } from './base.ts';

/** One unverified fact of the catalog. */
export interface UnverifiedFact {
  /** Stable anchor on /unverified/, e.g. `fedora-coreos-images-quay-io-fedora-fedora-coreos-basedon`. */
  id: string;
  /** The catalog file, relative to the catalog folder: `subprojects/fedora-coreos.yaml`. */
  file: string;
  /** Where in the file, readable: `images[quay.io/fedora/fedora-coreos].basedOn`. */
  field: string;
  /** The value as written, as text (lists joined with commas; `not set` when the field is absent). */
  value: string;
  /** Why it is not confirmed. */
  unverified: string;
  /** Where it was read, when known. */
  source?: string | undefined;
}

/** Unverified facts of one catalog file: the initiative, the SIGs, or one subproject. */
export interface UnverifiedGroup {
  /** `initiative`, `sigs`, or the subproject id. */
  id: string;
  title: string;
  file: string;
  facts: UnverifiedFact[];
}

/** The path to the folder page of unverified facts, under the base. */
export const UNVERIFIED_PATH = withBase('/unverified/');

/** Return the provenance of one field of a catalog object, when it has any. */
export function factProvenance(
  object: { provenance?: Provenance | undefined } | undefined,
  field: string,
): FactProvenance | undefined {
  return object?.provenance?.[field];
}

/** Turn a path into an anchor id: lowercase letters, digits and dashes. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Name a list item by what identifies it in the file, falling back to its position. */
function itemLabel(item: unknown, index: number): string {
  if (typeof item !== 'object' || item === null) return String(index);
  const record = item as Record<string, unknown>;
  for (const key of ['id', 'ref', 'name', 'url', 'release', 'label']) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return String(index);
}

/** Show a field's value as text. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** Walk a catalog value and collect the unverified facts of every object in it. */
function collect(value: unknown, path: string, file: string, group: string, out: UnverifiedFact[]) {
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      collect(item, `${path}[${itemLabel(item, index)}]`, file, group, out),
    );
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown> & { provenance?: Provenance };
  for (const [field, fact] of Object.entries(record.provenance ?? {})) {
    if (!fact?.unverified) continue;
    const fieldPath = path ? `${path}.${field}` : field;
    out.push({
      id: slug(`${group} ${fieldPath}`),
      file,
      field: fieldPath,
      value: describeValue(record[field]),
      unverified: fact.unverified,
      source: fact.source,
    });
  }
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'provenance') collect(child, path ? `${path}.${key}` : key, file, group, out);
  }
}

/**
 * List the unverified facts of the catalog, grouped by file: the initiative, the SIGs, then each
 * subproject in page order. Subproject files are named after their id, as the README asks.
 */
export function listUnverifiedFacts(catalog: Catalog): UnverifiedGroup[] {
  const groups: UnverifiedGroup[] = [];
  const add = (id: string, title: string, file: string, value: unknown, path = '') => {
    const facts: UnverifiedFact[] = [];
    collect(value, path, file, id, facts);
    if (facts.length > 0) groups.push({ id, title, file, facts });
  };
  add('initiative', catalog.initiative.name, 'initiative.yaml', catalog.initiative);
  add('sigs', 'SIGs, working groups and teams', 'sigs.yaml', catalog.sigs, 'sigs');
  for (const subproject of catalog.subprojects)
    add(subproject.id, subproject.name, `subprojects/${subproject.id}.yaml`, subproject);
  return groups;
}

/** Count the unverified facts of the catalog. */
export function countUnverifiedFacts(catalog: Catalog): number {
  return listUnverifiedFacts(catalog).reduce((total, group) => total + group.facts.length, 0);
}

/** Say how many unverified facts there are: `1 unverified fact`, `101 unverified facts`. */
export function describeUnverifiedCount(count: number): string {
  return `${count} unverified fact${count === 1 ? '' : 's'}`;
}

/** Say what is known of a fact in one sentence, for a tooltip: the reason, then the source. */
export function describeProvenance(fact: FactProvenance): string {
  const parts = [];
  if (fact.unverified) parts.push(`Unverified: ${fact.unverified}.`);
  if (fact.source) parts.push(`Source: ${fact.source}`);
  return parts.join(' ');
}
