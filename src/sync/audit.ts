/**
 * The ownership audit: the catalog's declared owners against what the repositories say.
 *
 * Reports orphaned deliverables, declared owners with no presence in their repository, owners
 * in CODEOWNERS/OWNERS that nobody declared, archived or inactive repositories, SIGs without a
 * contact, and repositories with no data. Pure: catalog and repos snapshot in, findings out.
 */
import type { Catalog, Deliverable, Sig } from '../catalog/index.ts';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type AuditFinding,
  type AuditSnapshot,
  type ObservedOwner,
  type RepoSnapshot,
  type ReposSnapshot,
} from '../snapshot/index.ts';

/** A repository with no commit for this many days is reported as inactive. */
export const INACTIVE_DAYS = 180;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Handles that stand for an owner: the owner itself, or a SIG's members and forge teams. */
export function ownerHandles(owner: string, sigs: ReadonlyMap<string, Sig>): Set<string> {
  const handles = new Set<string>();
  const add = (handle: string) => {
    const lower = handle.toLowerCase();
    handles.add(lower);
    // Fedora Forge and pagure sign people in with their Fedora account.
    if (lower.startsWith('fas:')) handles.add(`forgejo:${lower.slice(4)}`);
    if (lower.startsWith('forgejo:') && !lower.includes('/')) handles.add(`fas:${lower.slice(8)}`);
  };
  const sig = sigs.get(owner);
  if (!sig) {
    add(owner);
    return handles;
  }
  for (const member of sig.members) {
    if (member.github) add(`github:${member.github}`);
    if (member.gitlab) add(`gitlab:${member.gitlab}`);
    if (member.fas) add(`fas:${member.fas}`);
  }
  for (const team of sig.forgeTeams) add(team);
  return handles;
}

function describeSource(owner: ObservedOwner): string {
  const source = owner.sources.find((item) => item.kind !== 'api') ?? owner.sources[0]!;
  if (source.file) return `${source.file} line ${source.line ?? '?'}`;
  return source.detail ? `the forge API: ${source.detail}` : 'the forge API';
}

function hasContact(contacts: Sig['contacts']): boolean {
  return Object.values(contacts).some((value) =>
    Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.trim() !== '',
  );
}

function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

/** Audit declared against observed ownership. */
export function auditOwnership(
  catalog: Catalog,
  repos: ReposSnapshot | undefined,
  now: Date,
): AuditSnapshot {
  const findings: AuditFinding[] = [];
  const sigs = new Map(catalog.sigs.map((sig) => [sig.id, sig]));
  const repoByUrl = new Map((repos?.repos ?? []).map((repo) => [repo.url, repo]));
  const describeOwner = (owner: string) =>
    sigs.has(owner) ? `${sigs.get(owner)!.name} (${owner})` : owner;

  for (const subproject of catalog.subprojects) {
    const file = `content/catalog/subprojects/${subproject.id}.yaml`;

    // Deliverables: orphaned, and declared owners not seen in their repository (one finding per owner and repo).
    const claims = new Map<string, Claim>();
    for (const deliverable of subproject.deliverables) {
      const base = { subproject: subproject.id, deliverable: deliverable.id } as const;
      if (!deliverable.owner) {
        findings.push({
          ...base,
          kind: 'orphaned-deliverable',
          severity: 'error',
          message: `Deliverable "${deliverable.title}" has no owner${deliverable.incomingOwner ? ` (${describeOwner(deliverable.incomingOwner)} is to take it over)` : ''}. Name a SIG or a person under owner: in ${file}.`,
        });
      } else if (deliverable.state === 'orphaned') {
        findings.push({
          ...base,
          owner: deliverable.owner,
          kind: 'orphaned-deliverable',
          severity: 'error',
          message: `Deliverable "${deliverable.title}" is marked orphaned (state: orphaned) although ${describeOwner(deliverable.owner)} is named as owner. Find an owner and set its handover state in ${file}.`,
        });
      }
      if (deliverable.owner) {
        for (const url of repoUrlsOf(deliverable, repos)) {
          const key = `${deliverable.owner}\u0000${url}`;
          if (!claims.has(key))
            claims.set(key, { owner: deliverable.owner, url, deliverables: [] });
          claims.get(key)!.deliverables.push(deliverable);
        }
      }
    }
    for (const claim of claims.values())
      findings.push(...checkDeclaredOwner(claim, subproject.id, repoByUrl, sigs, describeOwner));

    // Repositories: observed owners nobody declared, archived, inactive, no data.
    const declared = new Set<string>();
    for (const owner of [
      ...subproject.sigs,
      ...subproject.deliverables.flatMap((item) => [item.owner, item.incomingOwner]),
    ]) {
      if (owner) for (const handle of ownerHandles(owner, sigs)) declared.add(handle);
    }
    const urls = new Set([
      ...subproject.repos.map((repo) => repo.url),
      ...subproject.deliverables.flatMap((item) => (item.repo ? [item.repo] : [])),
    ]);
    // Without a repos snapshot there is nothing to compare; the caller says so once.
    for (const url of repos ? [...urls].sort() : []) {
      const repo = repoByUrl.get(url);
      const base = { subproject: subproject.id, repo: url } as const;
      if (!repo || repo.status === 'unavailable') {
        findings.push({
          ...base,
          kind: 'repo-unavailable',
          severity: repo?.forge === 'other' ? 'info' : 'warning',
          message: `No data for ${url}${repo?.error ? `: ${repo.error}` : ': it was not in the last sync; run `npm run sync -- --steps repos`.'}`,
        });
        continue;
      }
      if (repo.status === 'stale') {
        findings.push({
          ...base,
          kind: 'repo-unavailable',
          severity: 'info',
          message: `Data for ${url} is stale (last read ${repo.fetchedAt}): ${repo.error ?? 'the last sync failed'}.`,
        });
      }
      for (const owner of repo.owners) {
        if (
          !owner.sources.some(
            (source) => source.kind === 'codeowners' || source.kind === 'owners-file',
          )
        )
          continue;
        if (declared.has(owner.handle.toLowerCase())) continue;
        findings.push({
          ...base,
          owner: owner.handle,
          kind: 'observed-owner-not-declared',
          severity: 'info',
          message: `${owner.handle} owns files in ${url} (${describeSource(owner)}) but is not a declared owner, nor a member or team of ${subproject.sigs.join(', ')}. Add them to a SIG in content/catalog/sigs.yaml if they own this work.`,
        });
      }
      if (repo.facts?.archived) {
        findings.push({
          ...base,
          kind: 'repo-archived',
          severity: 'warning',
          message: `${url} is archived; what lives there needs a new home or should leave the catalog.`,
        });
      } else if (repo.facts) {
        const last = repo.facts.lastCommitAt ? new Date(repo.facts.lastCommitAt) : undefined;
        if (!last || daysBetween(last, now) >= INACTIVE_DAYS) {
          findings.push({
            ...base,
            kind: 'repo-inactive',
            severity: 'warning',
            message: last
              ? `${url} has had no commit on ${repo.facts.defaultBranch} for ${daysBetween(last, now)} days (last on ${last.toISOString().slice(0, 10)}).`
              : `${url} has no commit on ${repo.facts.defaultBranch}.`,
          });
        }
      }
    }
  }

  for (const sig of catalog.sigs) {
    if (hasContact(sig.contacts)) continue;
    findings.push({
      sig: sig.id,
      kind: 'sig-without-contact',
      severity: 'warning',
      message: `${sig.name} (${sig.id}) lists no contact. Add a Matrix room, mailing list, Discourse tag, tracker or website under contacts: in content/catalog/sigs.yaml.`,
    });
  }

  findings.sort(
    (a, b) =>
      (a.subproject ?? '\uffff').localeCompare(b.subproject ?? '\uffff') ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.kind.localeCompare(b.kind) ||
      (a.deliverable ?? '').localeCompare(b.deliverable ?? '') ||
      (a.repo ?? '').localeCompare(b.repo ?? '') ||
      (a.sig ?? '').localeCompare(b.sig ?? '') ||
      (a.owner ?? '').localeCompare(b.owner ?? '') ||
      a.message.localeCompare(b.message),
  );
  const audit: AuditSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    sample: repos?.sample ?? false,
    findings,
  };
  if (repos?.sampleNote) audit.sampleNote = repos.sampleNote;
  return audit;
}

/** The repositories a deliverable lives in: its repo, or the repos whose PipelineRuns build its image. */
function repoUrlsOf(deliverable: Deliverable, repos: ReposSnapshot | undefined): string[] {
  if (deliverable.repo) return [deliverable.repo];
  if (!deliverable.image) return [];
  return (repos?.repos ?? [])
    .filter((repo) =>
      repo.pipelines.some((pipeline) => pipeline.images.includes(deliverable.image!)),
    )
    .map((repo) => repo.url);
}

/** An owner's deliverables that live in one repository. */
interface Claim {
  owner: string;
  url: string;
  deliverables: Deliverable[];
}

function titles(deliverables: Deliverable[]): string {
  const quoted = deliverables.map((deliverable) => `"${deliverable.title}"`);
  if (quoted.length === 1) return quoted[0]!;
  const shown = quoted.slice(0, 3).join(', ');
  return `${quoted.length} deliverables (${shown}${quoted.length > 3 ? `, and ${quoted.length - 3} more` : ''})`;
}

/** Observed people who share a login with a SIG member known on another forge: "gitlab:jlebon (Jonathan Lebon)". */
function sameLoginHint(
  repo: RepoSnapshot,
  owner: string,
  sigs: ReadonlyMap<string, Sig>,
): string | undefined {
  const sig = sigs.get(owner);
  if (!sig) return undefined;
  const matches: string[] = [];
  for (const observed of repo.owners) {
    const login = observed.handle.split(':')[1];
    if (!login || login.includes('/') || login.startsWith('@')) continue;
    const member = sig.members.find((person) =>
      [person.github, person.gitlab, person.fas].some((known) => known?.toLowerCase() === login),
    );
    if (member) matches.push(`${observed.handle} (${member.name}?)`);
  }
  if (matches.length === 0) return undefined;
  return `The same logins belong to members known on another forge: ${matches.join(', ')}; if they are the same people, add these handles to the members in content/catalog/sigs.yaml.`;
}

function checkDeclaredOwner(
  claim: Claim,
  subproject: string,
  repoByUrl: ReadonlyMap<string, RepoSnapshot>,
  sigs: ReadonlyMap<string, Sig>,
  describeOwner: (owner: string) => string,
): AuditFinding[] {
  const { owner, url } = claim;
  const repo = repoByUrl.get(url);
  if (!repo || repo.status === 'unavailable') return []; // reported as repo-unavailable
  const deliverables = [...claim.deliverables].sort((a, b) => a.id.localeCompare(b.id));
  const base = {
    kind: 'declared-owner-not-observed',
    subproject,
    deliverable: deliverables[0]!.id,
    repo: url,
    owner,
  } as const;
  if (repo.owners.length === 0) {
    return [
      {
        ...base,
        severity: 'info',
        message: `${url} shows no owners (no CODEOWNERS, OWNERS or MAINTAINERS file, and no members the API lets us see), so ${describeOwner(owner)} cannot be confirmed there as owner of ${titles(deliverables)}.`,
      },
    ];
  }
  const handles = ownerHandles(owner, sigs);
  if (repo.owners.some((item) => handles.has(item.handle.toLowerCase()))) return [];
  const seen = repo.owners.slice(0, 5).map((item) => item.handle);
  const more =
    repo.owners.length > seen.length ? ` and ${repo.owners.length - seen.length} more` : '';
  const advice =
    sameLoginHint(repo, owner, sigs) ??
    (sigs.has(owner)
      ? 'Add the SIG or its team to CODEOWNERS, or the people there to the SIG.'
      : 'Add the owner to CODEOWNERS, or correct the owner in the catalog.');
  return [
    {
      ...base,
      severity: 'warning',
      message: `${describeOwner(owner)} owns ${titles(deliverables)} but is not among the owners of ${url} (${seen.join(', ')}${more})${sigs.has(owner) ? ', nor is any of them a member or team of the SIG' : ''}. ${advice}`,
    },
  ];
}

/** Format the audit for a terminal, grouped by subproject, SIG findings last. */
export function formatAuditReport(audit: AuditSnapshot, catalog: Catalog): string {
  const names = new Map(catalog.subprojects.map((subproject) => [subproject.id, subproject.name]));
  const count = (severity: AuditFinding['severity']) =>
    audit.findings.filter((finding) => finding.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `Ownership audit: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}${audit.sample ? ' (sample data)' : ''}.`,
  ];
  const groups = new Map<string, AuditFinding[]>();
  for (const finding of audit.findings) {
    const key = finding.subproject ?? '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(finding);
  }
  const label = { error: 'error  ', warning: 'warning', info: 'note   ' } as const;
  for (const [key, findings] of groups) {
    lines.push('', key === '' ? 'SIGs and working groups' : `${names.get(key) ?? key} (${key})`);
    for (const finding of findings) lines.push(`  ${label[finding.severity]}  ${finding.message}`);
  }
  if (audit.findings.length === 0)
    lines.push('', 'Nothing to report: every deliverable has an owner the repositories confirm.');
  return `${lines.join('\n')}\n`;
}

/** Tell whether the audit should fail CI: some deliverable is orphaned. */
export function hasOrphanedDeliverables(audit: AuditSnapshot): boolean {
  return audit.findings.some((finding) => finding.kind === 'orphaned-deliverable');
}
