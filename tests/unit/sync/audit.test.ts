import { describe, expect, it } from 'vitest';
import {
  auditOwnership,
  formatAuditReport,
  hasOrphanedDeliverables,
  ownerHandles,
} from '../../../src/sync/audit.ts';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type RepoSnapshot,
  type ReposSnapshot,
} from '../../../src/snapshot/schema.ts';
import { smallCatalog } from '../../fixtures/forges/small.ts';

const NOW = new Date('2026-11-28T02:00:00Z');

function liveRepo(url: string, overrides: Partial<RepoSnapshot> = {}): RepoSnapshot {
  return {
    url,
    forge: url.includes('github.com')
      ? 'github'
      : url.includes('gitlab.com')
        ? 'gitlab'
        : url.includes('pagure.io')
          ? 'pagure'
          : 'forgejo',
    status: 'live',
    fetchedAt: '2026-11-28T01:00:00.000Z',
    facts: {
      description: null,
      defaultBranch: 'main',
      lastCommitAt: '2026-11-20T00:00:00.000Z',
      archived: false,
      license: null,
      latestRelease: null,
      openIssues: 0,
      goodFirstIssues: { count: 0, items: [] },
    },
    owners: [],
    pipelines: [],
    ...overrides,
  };
}

function reposSnapshot(repos: RepoSnapshot[]): ReposSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: NOW.toISOString(),
    sample: false,
    repos,
  };
}

const codeowner = (handle: string, line: number) => ({
  handle,
  sources: [{ kind: 'codeowners' as const, file: '.github/CODEOWNERS', line, pattern: '*' }],
});

describe('ownerHandles', () => {
  it('expands a SIG into its members and forge teams, and a FAS account into its Fedora Forge login', () => {
    const sigs = new Map(smallCatalog().sigs.map((sig) => [sig.id, sig]));
    expect([...ownerHandles('ublue', sigs)]).toEqual([
      'github:castrojo',
      'github:ublue-os/approver',
    ]);
    expect([...ownerHandles('fas:Walters', sigs)]).toEqual(['fas:walters', 'forgejo:walters']);
    expect([...ownerHandles('github:someone', sigs)]).toEqual(['github:someone']);
  });
});

describe('auditOwnership', () => {
  const snapshot = reposSnapshot([
    liveRepo('https://github.com/ublue-os/bluefin', {
      owners: [
        codeowner('github:castrojo', 2),
        codeowner('github:p5', 2),
        codeowner('github:ublue-os/approver', 3),
      ],
    }),
    liveRepo('https://github.com/ublue-os/main', {
      owners: [codeowner('github:ublue-os/approver', 1)],
    }),
    liveRepo('https://github.com/ublue-os/gone', {
      status: 'unavailable',
      fetchedAt: null,
      facts: null,
      error: 'not found on GitHub (404): ublue-os/gone does not exist or is private.',
    }),
    liveRepo('https://github.com/coreos/fedora-coreos-config', {
      facts: { ...liveRepo('x').facts!, archived: true },
    }),
    liveRepo('https://gitlab.com/fedora/bootc/base-images', {
      owners: [
        { handle: 'gitlab:walters', sources: [{ kind: 'api', detail: 'owner (access level 50)' }] },
      ],
      pipelines: [
        {
          file: '.tekton/a.yaml',
          name: 'a',
          platforms: [],
          images: ['quay.io/bootc-devel/fedora-bootc-44-standard'],
          imageLinks: [],
        },
      ],
    }),
    liveRepo('https://forge.fedoraproject.org/atomic-desktops/tracker', {
      facts: { ...liveRepo('x').facts!, lastCommitAt: '2025-01-10T10:00:00.000Z' },
    }),
    liveRepo('https://pagure.io/workstation-ostree-config', {
      facts: null,
      owners: [
        { handle: 'fas:siosm', sources: [{ kind: 'api', detail: 'admin (pagure access)' }] },
      ],
    }),
  ]);

  it('reports what a SIG taking over a deliverable needs to know, in plain words', () => {
    const audit = auditOwnership(smallCatalog(), snapshot, NOW);
    expect(
      audit.findings.map(
        (finding) =>
          `${finding.subproject ?? '-'} ${finding.severity} ${finding.kind}: ${finding.message}`,
      ),
    ).toMatchInlineSnapshot(`
      [
        "atomic-desktops error orphaned-deliverable: Deliverable "Atomic manifests" is marked orphaned (state: orphaned) although Fedora Atomic Desktops SIG (atomic-desktops-sig) is named as owner. Find an owner and set its handover state in content/catalog/subprojects/atomic-desktops.yaml.",
        "atomic-desktops warning repo-inactive: https://forge.fedoraproject.org/atomic-desktops/tracker has had no commit on main for 686 days (last on 2025-01-10).",
        "bootc-base-images error orphaned-deliverable: Deliverable "Release process" has no owner (Fedora bootc (bootc-sig) is to take it over). Name a SIG or a person under owner: in content/catalog/subprojects/bootc-base-images.yaml.",
        "fedora-coreos warning repo-archived: https://github.com/coreos/fedora-coreos-config is archived; what lives there needs a new home or should leave the catalog.",
        "fedora-coreos info declared-owner-not-observed: https://github.com/coreos/fedora-coreos-config shows no owners (no CODEOWNERS, OWNERS or MAINTAINERS file, and no members the API lets us see), so Fedora CoreOS Working Group (coreos-wg) cannot be confirmed there as owner of "FCOS config".",
        "universal-blue warning declared-owner-not-observed: github:someone-else owns "ublue main images" but is not among the owners of https://github.com/ublue-os/main (github:ublue-os/approver). Add the owner to CODEOWNERS, or correct the owner in the catalog.",
        "universal-blue warning repo-unavailable: No data for https://github.com/ublue-os/gone: not found on GitHub (404): ublue-os/gone does not exist or is private.",
        "universal-blue info observed-owner-not-declared: github:p5 owns files in https://github.com/ublue-os/bluefin (.github/CODEOWNERS line 2) but is not a declared owner, nor a member or team of ublue. Add them to a SIG in content/catalog/sigs.yaml if they own this work.",
        "- warning sig-without-contact: Sway SIG (sway-sig) lists no contact. Add a Matrix room, mailing list, Discourse tag, tracker or website under contacts: in content/catalog/sigs.yaml.",
      ]
    `);
  });

  it('prints the audit grouped by subproject', () => {
    const report = formatAuditReport(auditOwnership(smallCatalog(), snapshot, NOW), smallCatalog());
    expect(report).toMatchInlineSnapshot(`
      "Ownership audit: 2 errors, 5 warnings, 2 notes.

      Fedora Atomic Desktops (atomic-desktops)
        error    Deliverable "Atomic manifests" is marked orphaned (state: orphaned) although Fedora Atomic Desktops SIG (atomic-desktops-sig) is named as owner. Find an owner and set its handover state in content/catalog/subprojects/atomic-desktops.yaml.
        warning  https://forge.fedoraproject.org/atomic-desktops/tracker has had no commit on main for 686 days (last on 2025-01-10).

      Fedora bootc base images (bootc-base-images)
        error    Deliverable "Release process" has no owner (Fedora bootc (bootc-sig) is to take it over). Name a SIG or a person under owner: in content/catalog/subprojects/bootc-base-images.yaml.

      Fedora CoreOS (fedora-coreos)
        warning  https://github.com/coreos/fedora-coreos-config is archived; what lives there needs a new home or should leave the catalog.
        note     https://github.com/coreos/fedora-coreos-config shows no owners (no CODEOWNERS, OWNERS or MAINTAINERS file, and no members the API lets us see), so Fedora CoreOS Working Group (coreos-wg) cannot be confirmed there as owner of "FCOS config".

      Universal Blue (universal-blue)
        warning  github:someone-else owns "ublue main images" but is not among the owners of https://github.com/ublue-os/main (github:ublue-os/approver). Add the owner to CODEOWNERS, or correct the owner in the catalog.
        warning  No data for https://github.com/ublue-os/gone: not found on GitHub (404): ublue-os/gone does not exist or is private.
        note     github:p5 owns files in https://github.com/ublue-os/bluefin (.github/CODEOWNERS line 2) but is not a declared owner, nor a member or team of ublue. Add them to a SIG in content/catalog/sigs.yaml if they own this work.

      SIGs and working groups
        warning  Sway SIG (sway-sig) lists no contact. Add a Matrix room, mailing list, Discourse tag, tracker or website under contacts: in content/catalog/sigs.yaml.
      "
    `);
  });

  it('suggests adding a handle when an observed login matches a SIG member known on another forge', () => {
    const repos = reposSnapshot([
      liveRepo('https://github.com/coreos/fedora-coreos-config', {
        owners: [
          {
            handle: 'gitlab:dustymabe',
            sources: [{ kind: 'api', detail: 'maintainer (access level 40)' }],
          },
        ],
      }),
    ]);
    const finding = auditOwnership(smallCatalog(), repos, NOW).findings.find(
      (item) => item.kind === 'declared-owner-not-observed',
    );
    expect(finding?.message).toMatchInlineSnapshot(
      `"Fedora CoreOS Working Group (coreos-wg) owns "FCOS config" but is not among the owners of https://github.com/coreos/fedora-coreos-config (gitlab:dustymabe), nor is any of them a member or team of the SIG. The same logins belong to members known on another forge: gitlab:dustymabe (Dusty Mabe?); if they are the same people, add these handles to the members in content/catalog/sigs.yaml."`,
    );
  });

  it('fails CI only when a deliverable is orphaned', () => {
    expect(hasOrphanedDeliverables(auditOwnership(smallCatalog(), snapshot, NOW))).toBe(true);
    const catalog = smallCatalog();
    for (const subproject of catalog.subprojects)
      subproject.deliverables = subproject.deliverables.filter(
        (item) => item.owner && item.state !== 'orphaned',
      );
    expect(hasOrphanedDeliverables(auditOwnership(catalog, snapshot, NOW))).toBe(false);
  });

  it('audits the catalog alone when there is no repos snapshot yet', () => {
    const audit = auditOwnership(smallCatalog(), undefined, NOW);
    expect(audit.findings.map((finding) => finding.kind)).toEqual([
      'orphaned-deliverable',
      'orphaned-deliverable',
      'sig-without-contact',
    ]);
  });
});
