/**
 * Whole-catalog checks, after each file matched its schema: ids are unique across files, every
 * reference (SIG ids, owners, declared bases, milestone criteria) points at something that exists,
 * tag patterns compile and repository URLs name a repository, so that nothing the sync would trip
 * over reaches it.
 */
import { parseRepoUrl, RepoUrlError } from '../forges/repo-url.ts';
import { canonicalRepository, isSigOwner } from './model.ts';
import { compileTagPattern, TagPatternError } from './tag-pattern.ts';
import type { Initiative, Sig, Subproject } from './schema.ts';
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
      if (image.basedOn !== undefined) {
        const base = canonicalRepository(image.basedOn);
        if (base === ref)
          problem(
            source,
            ['images', index, 'basedOn'],
            `an image cannot be based on itself; name the repository it is built FROM.`,
          );
        else if (!images.has(base))
          problem(
            source,
            ['images', index, 'basedOn'],
            `"${image.basedOn}" is not an image of the catalog; ${imageHint(base)}`,
          );
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
    const checkRepoUrl = (url: string, path: FieldPath) => {
      try {
        parseRepoUrl(url);
      } catch (error) {
        if (!(error instanceof RepoUrlError)) throw error;
        problem(source, path, error.message);
      }
    };
    data.repos.forEach((repo, index) => checkRepoUrl(repo.url, ['repos', index, 'url']));
    data.deliverables.forEach((deliverable, index) => {
      if (deliverable.repo !== undefined)
        checkRepoUrl(deliverable.repo, ['deliverables', index, 'repo']);
    });
    const deliverableIds = new Map<string, FieldPath>();
    data.deliverables.forEach((deliverable, index) => {
      const first = deliverableIds.get(deliverable.id);
      if (first)
        problem(
          source,
          ['deliverables', index, 'id'],
          `duplicate deliverable id "${deliverable.id}", first used at ${where(source, first)}.`,
        );
      else deliverableIds.set(deliverable.id, ['deliverables', index, 'id']);
      for (const field of ['owner', 'incomingOwner'] as const) {
        const owner = deliverable[field];
        if (owner !== undefined && isSigOwner(owner) && !sigIds.has(owner)) {
          problem(
            source,
            ['deliverables', index, field],
            `SIG "${owner}" does not exist in sigs.yaml; ${sigHint(owner)} For a person, write "github:<login>" or "fas:<user>".`,
          );
        }
      }
      if (deliverable.image !== undefined && !images.has(canonicalRepository(deliverable.image))) {
        problem(
          source,
          ['deliverables', index, 'image'],
          `"${deliverable.image}" is not an image of the catalog; ${imageHint(canonicalRepository(deliverable.image))}`,
        );
      }
      if (deliverable.state === 'orphaned' && deliverable.owner !== undefined) {
        problem(
          source,
          ['deliverables', index, 'state'],
          `"orphaned" means nobody owns it, but \`owner\` is "${deliverable.owner}"; remove the owner or pick another state.`,
        );
      }
      if (deliverable.state === 'handed-over' && deliverable.owner === undefined) {
        problem(
          source,
          ['deliverables', index, 'owner'],
          `a deliverable that is "handed-over" needs its new \`owner\`.`,
        );
      }
    });
  }

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
