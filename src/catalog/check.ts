/**
 * Whole-catalog checks, after each file matched its schema: ids are unique across files, every
 * reference (SIG ids, owners, declared bases, milestone criteria) points at something that exists,
 * tag patterns compile and repository URLs name a repository, so that nothing the sync would trip
 * over reaches it.
 */
import { parseRepoUrl, RepoUrlError } from '../forges/repo-url.ts';
import { canonicalRepository, isSigOwner } from './model.ts';
import { compileTagPattern, TagPatternError } from './tag-pattern.ts';
import {
  TransferStates,
  type Deliverable,
  type Initiative,
  type Sig,
  type Subproject,
} from './schema.ts';
import {
  formatPath,
  locate,
  suggestKey,
  type CatalogProblem,
  type FieldPath,
  type SourceFile,
} from './problems.ts';

/** The catalog with the parsed files it came from, so problems can be located. */
export interface LocatedCatalog {
  initiative: { source: SourceFile; data: Initiative };
  sigs: { source: SourceFile; data: Sig[] };
  subprojects: { source: SourceFile; data: Subproject }[];
}

/** Check ids and references across the whole catalog; returns every problem found. */
export function checkCatalog(catalog: LocatedCatalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const problem = (source: SourceFile, path: FieldPath, message: string) => {
    problems.push({ file: source.file, ...locate(source, path), path: formatPath(path), message });
  };
  const where = (source: SourceFile, path: FieldPath) => {
    const { line, column } = locate(source, path);
    return `${source.file}:${line}:${column}`;
  };

  // SIG ids.
  const sigIds = new Map<string, FieldPath>();
  catalog.sigs.data.forEach((sig, index) => {
    const path = ['sigs', index, 'id'];
    const first = sigIds.get(sig.id);
    if (first)
      problem(
        catalog.sigs.source,
        path,
        `duplicate SIG id "${sig.id}", first used at ${where(catalog.sigs.source, first)}; give each SIG its own id.`,
      );
    else sigIds.set(sig.id, path);
  });
  const knownSigs = [...sigIds.keys()].sort();
  const sigHint = (id: string) => {
    const suggestion = suggestKey(id, knownSigs);
    return suggestion ? `did you mean "${suggestion}"?` : `known SIG ids: ${knownSigs.join(', ')}.`;
  };

  // Subproject ids and image repositories, unique across files.
  const subprojectIds = new Map<string, { source: SourceFile; path: FieldPath }>();
  const images = new Map<string, { source: SourceFile; path: FieldPath }>();
  for (const { source, data } of catalog.subprojects) {
    const first = subprojectIds.get(data.id);
    if (first)
      problem(
        source,
        ['id'],
        `duplicate subproject id "${data.id}", first used at ${where(first.source, first.path)}; give each subproject its own id.`,
      );
    else subprojectIds.set(data.id, { source, path: ['id'] });

    data.images.forEach((image, index) => {
      const ref = canonicalRepository(image.ref);
      const seen = images.get(ref);
      if (seen)
        problem(
          source,
          ['images', index, 'ref'],
          `image "${image.ref}" is already listed at ${where(seen.source, seen.path)}; list each repository in one subproject only.`,
        );
      else images.set(ref, { source, path: ['images', index, 'ref'] });
    });
  }
  const knownSubprojects = [...subprojectIds.keys()].sort();
  const knownImages = [...images.keys()].sort();
  const imageHint = (ref: string) => {
    const suggestion = suggestKey(ref, knownImages);
    return suggestion
      ? `did you mean "${suggestion}"?`
      : 'add it to the `images:` of a subproject first.';
  };

  const checkRepoUrl = (source: SourceFile, url: string, path: FieldPath) => {
    try {
      parseRepoUrl(url);
    } catch (error) {
      if (!(error instanceof RepoUrlError)) throw error;
      problem(source, path, error.message);
    }
  };
  /** Check the `deliverables:` of one file: ids, owners, images, repos, `serves` and states. */
  const checkDeliverables = (
    source: SourceFile,
    deliverables: Deliverable[],
    holder: DeliverableHolder,
  ) => {
    deliverables.forEach((deliverable, index) => {
      if (deliverable.repo !== undefined)
        checkRepoUrl(source, deliverable.repo, ['deliverables', index, 'repo']);
    });
    const deliverableIds = new Map<string, FieldPath>();
    deliverables.forEach((deliverable, index) => {
      const first = deliverableIds.get(deliverable.id);
      if (first)
        problem(
          source,
          ['deliverables', index, 'id'],
          `duplicate deliverable id "${deliverable.id}", first used at ${where(source, first)}.`,
        );
      else deliverableIds.set(deliverable.id, ['deliverables', index, 'id']);
      for (const field of ['owner', 'incomingOwner', 'previousOwner'] as const) {
        const owner = deliverable[field];
        if (owner !== undefined && isSigOwner(owner) && !sigIds.has(owner)) {
          problem(
            source,
            ['deliverables', index, field],
            `SIG "${owner}" does not exist in sigs.yaml; ${sigHint(owner)} For a person, write "github:<login>" or "fas:<user>".`,
          );
        }
      }
      const imageRefs: [string, FieldPath][] = [
        ...(deliverable.image !== undefined
          ? [[deliverable.image, ['deliverables', index, 'image']] as [string, FieldPath]]
          : []),
        ...(deliverable.images ?? []).map((ref, refIndex): [string, FieldPath] => [
          ref,
          ['deliverables', index, 'images', refIndex],
        ]),
      ];
      for (const [ref, path] of imageRefs) {
        if (!images.has(canonicalRepository(ref)))
          problem(
            source,
            path,
            `"${ref}" is not an image of the catalog; ${imageHint(canonicalRepository(ref))}`,
          );
      }
      if (deliverable.image !== undefined && deliverable.images !== undefined)
        problem(
          source,
          ['deliverables', index, 'image'],
          `give the images either as \`image\` or as \`images\`, not both; move "${deliverable.image}" into \`images\`.`,
        );
      if (deliverable.serves !== undefined && !subprojectIds.has(deliverable.serves)) {
        const suggestion = suggestKey(deliverable.serves, knownSubprojects);
        problem(
          source,
          ['deliverables', index, 'serves'],
          `subproject "${deliverable.serves}" does not exist; ${suggestion ? `did you mean "${suggestion}"?` : `known subprojects: ${knownSubprojects.join(', ')}.`}`,
        );
      }
      for (const contradiction of stateContradictions(deliverable, holder))
        problem(source, ['deliverables', index, contradiction.field], contradiction.message);
    });
  };

  // References inside each subproject.
  for (const { source, data } of catalog.subprojects) {
    data.sigs.forEach((sig, index) => {
      if (!sigIds.has(sig))
        problem(
          source,
          ['sigs', index],
          `SIG "${sig}" does not exist in sigs.yaml; ${sigHint(sig)}`,
        );
    });
    data.images.forEach((image, index) => {
      const ref = canonicalRepository(image.ref);
      const related: [string | undefined, FieldPath, string][] = [
        [image.basedOn, ['images', index, 'basedOn'], 'based on'],
        [image.builder, ['images', index, 'builder'], 'built in'],
        ...image.streams.map((stream, streamIndex): [string | undefined, FieldPath, string] => [
          stream.basedOn,
          ['images', index, 'streams', streamIndex, 'basedOn'],
          'based on',
        ]),
      ];
      for (const [other, path, relation] of related) {
        if (other === undefined) continue;
        const base = canonicalRepository(other);
        if (base === ref)
          problem(
            source,
            path,
            `an image cannot be ${relation} itself; name the repository it is built FROM.`,
          );
        else if (!images.has(base))
          problem(source, path, `"${other}" is not an image of the catalog; ${imageHint(base)}`);
      }
      image.streams.forEach((stream, streamIndex) => {
        if (stream.match === undefined) return;
        try {
          compileTagPattern(stream.match);
        } catch (error) {
          if (!(error instanceof TagPatternError)) throw error;
          problem(source, ['images', index, 'streams', streamIndex, 'match'], error.message);
        }
      });
      image.mirrors.forEach((mirror, mirrorIndex) => {
        if (canonicalRepository(mirror) === ref)
          problem(
            source,
            ['images', index, 'mirrors', mirrorIndex],
            `a repository cannot mirror itself; list other registries' copies here.`,
          );
      });
    });
    data.repos.forEach((repo, index) => checkRepoUrl(source, repo.url, ['repos', index, 'url']));
    checkDeliverables(source, data.deliverables, data.official ? 'fedora' : 'outside-fedora');
  }
  // The initiative's own deliverables follow the same rules; the initiative is part of Fedora.
  checkDeliverables(catalog.initiative.source, catalog.initiative.data.deliverables, 'initiative');

  // Milestone criteria.
  const { source, data } = catalog.initiative;
  data.milestones.forEach((milestone, milestoneIndex) => {
    milestone.criteria.forEach((criterion, index) => {
      const path = ['milestones', milestoneIndex, 'criteria', index];
      if ('subproject' in criterion && !subprojectIds.has(criterion.subproject)) {
        const suggestion = suggestKey(criterion.subproject, knownSubprojects);
        problem(
          source,
          [...path, 'subproject'],
          `subproject "${criterion.subproject}" does not exist; ${suggestion ? `did you mean "${suggestion}"?` : `known subprojects: ${knownSubprojects.join(', ')}.`}`,
        );
      }
      for (const field of ['image', 'base'] as const) {
        const ref = (criterion as Record<string, unknown>)[field];
        if (typeof ref === 'string' && !images.has(canonicalRepository(ref))) {
          problem(
            source,
            [...path, field],
            `"${ref}" is not an image of the catalog; ${imageHint(canonicalRepository(ref))}`,
          );
        }
      }
    });
  });

  return problems;
}

/** A field of a deliverable that contradicts its state, with what to write instead. */
export interface StateContradiction {
  field: keyof Deliverable;
  message: string;
}

/** Who lists a deliverable: a subproject of Fedora or outside it, or the initiative itself. */
export type DeliverableHolder = 'fedora' | 'outside-fedora' | 'initiative';

const isTransfer = (state: Deliverable['state']) =>
  (TransferStates as readonly string[]).includes(state);

/**
 * Find the fields of a deliverable that contradict its state: an incoming owner on "owned", a
 * "handed-over" without its date or previous owner, an owner on "orphaned", "external" in a
 * subproject of Fedora or in the initiative's own list.
 */
export function stateContradictions(
  deliverable: Deliverable,
  holder: DeliverableHolder,
): StateContradiction[] {
  const found: StateContradiction[] = [];
  const { state, owner, incomingOwner, previousOwner } = deliverable;
  if (state === 'orphaned' && owner !== undefined)
    found.push({
      field: 'state',
      message: `"orphaned" means nobody owns it, but \`owner\` is "${owner}"; remove the owner or pick another state.`,
    });
  if (state !== 'orphaned' && owner === undefined)
    found.push({
      field: 'state',
      message: `"${state}" needs an \`owner\`; name who owns it today, or write \`state: orphaned\` when nobody does.`,
    });
  if (incomingOwner !== undefined && !isTransfer(state) && state !== 'orphaned')
    found.push({
      field: 'incomingOwner',
      message: `"${state}" means no transfer is under way, but \`incomingOwner\` is "${incomingOwner}"; write \`state: proposed\` (or shadowing, co-owned) for a planned handover, or remove \`incomingOwner\`.`,
    });
  if ((state === 'shadowing' || state === 'co-owned') && incomingOwner === undefined)
    found.push({
      field: 'state',
      message: `"${state}" needs the \`incomingOwner\` who shadows or shares it; name them, or write \`state: proposed\`.`,
    });
  if (incomingOwner !== undefined && incomingOwner === owner)
    found.push({
      field: 'incomingOwner',
      message: `\`incomingOwner\` is the \`owner\` ("${owner}"); write \`state: owned\` and remove \`incomingOwner\`.`,
    });
  if (state === 'handed-over') {
    if (deliverable.since === undefined)
      found.push({
        field: 'state',
        message: `"handed-over" needs the date of the handover in \`since\`, e.g. \`since: '2026-05-04'\`; for something that never changed hands, write \`state: owned\`.`,
      });
    if (previousOwner === undefined)
      found.push({
        field: 'state',
        message: `"handed-over" needs \`previousOwner\`, who handed it over; for something that never changed hands, write \`state: owned\`.`,
      });
  } else if (previousOwner !== undefined)
    found.push({
      field: 'previousOwner',
      message: `\`previousOwner\` is only for "handed-over"; remove it, or write \`state: handed-over\` with \`since\`.`,
    });
  if (previousOwner !== undefined && previousOwner === owner)
    found.push({
      field: 'previousOwner',
      message: `\`previousOwner\` is the \`owner\` ("${owner}"); a handover goes to someone else, or write \`state: owned\`.`,
    });
  if (state === 'external' && holder !== 'outside-fedora')
    found.push({
      field: 'state',
      message:
        holder === 'initiative'
          ? `"external" is for what is maintained outside Fedora, but the initiative's own deliverables are Fedora's; write \`state: proposed\` (or owned, orphaned) and say who runs it.`
          : `"external" is for what is maintained outside Fedora, but this subproject is part of Fedora (\`official: true\`); write \`state: owned\`, or \`official: false\` on the subproject.`,
    });
  if (deliverable.due !== undefined && !isTransfer(state) && state !== 'orphaned')
    found.push({
      field: 'due',
      message: `\`due\` is the deadline of a transfer, but "${state}" has none under way; remove \`due\` or write \`state: proposed\`.`,
    });
  return found;
}
