/**
 * A fixture catalog with a handover story, committed in a temporary git repository: the minimal
 * catalog plus an orphaned Konflux tenant of CoreOS, a pipeline the CoreOS WG shadows (due
 * "2027-06"), overdue release notes (due 2026-01-15), the base image signing that goes from
 * proposed to shadowing to handed-over in three commits with fixed dates, and the initiative's own
 * chat room, which the CoreOS WG goes from proposed to shadowing in the second commit.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyCatalog, type CatalogCopy } from './catalog.ts';

const run = promisify(execFile);

/** The commit dates of the three steps of the signing handover. */
export const HANDOVER_COMMITS = {
  proposed: '2026-05-01T10:00:00Z',
  shadowing: '2026-06-10T09:00:00Z',
  handedOver: '2026-09-01T12:00:00Z',
} as const;

const SIGNING = {
  proposed: `  - id: signing
    title: Base image signing
    kind: signing
    owner: bootc-team
    incomingOwner: coreos-wg
    state: proposed
    due: '2026-10'
`,
  shadowing: `  - id: signing
    title: Base image signing
    kind: signing
    owner: bootc-team
    incomingOwner: coreos-wg
    state: shadowing
    due: '2026-10'
`,
  handedOver: `  - id: signing
    title: Base image signing
    kind: signing
    owner: coreos-wg
    previousOwner: bootc-team
    state: handed-over
    since: '2026-09-01'
`,
};

/** The initiative's own deliverable, in initiative.yaml, in its two states. */
const initiativeChat = (state: 'proposed' | 'shadowing') => `deliverables:
  - id: chat
    title: Initiative chat room
    kind: community
    owner: bootc-team
    incomingOwner: coreos-wg
    state: ${state}
    due: '2027-06'
`;

const BASE_PIPELINE = `deliverables:
  - id: base-pipeline
    title: Base image pipeline
    kind: pipeline
    owner: bootc-team
    incomingOwner: coreos-wg
    state: shadowing
    due: '2027-06'
`;

const COREOS_EXTRA = `  - id: konflux-tenant
    title: CoreOS Konflux tenant
    kind: konflux-tenant
    state: orphaned
  - id: release-notes
    title: CoreOS release notes
    kind: docs
    owner: github:dustymabe
    incomingOwner: coreos-wg
    state: proposed
    due: '2026-01-15'
`;

/** Commit everything in the repository with a fixed author and date. */
async function commit(dir: string, message: string, date: string): Promise<void> {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, TZ: 'UTC' };
  await run('git', ['add', '-A'], { cwd: dir, env });
  await run(
    'git',
    ['-c', 'user.name=Handover Tester', '-c', 'user.email=tester@example.org'].concat([
      'commit',
      '--quiet',
      '-m',
      message,
    ]),
    { cwd: dir, env },
  );
}

/** Create the handover catalog in a temporary git repository, in three commits. */
export async function createHandoverCatalog(): Promise<CatalogCopy> {
  const copy = await copyCatalog();
  const base = async (signing: string) =>
    copy.edit('subprojects/base.yaml', (text) => {
      const head = text.split('deliverables:\n')[0]!.trimEnd();
      return `${head}\n${BASE_PIPELINE}${signing}`;
    });
  await run('git', ['init', '--quiet', '-b', 'main'], { cwd: copy.dir });
  await copy.edit('subprojects/coreos.yaml', (text) => `${text.trimEnd()}\n${COREOS_EXTRA}`);
  const initiative = async (state: 'proposed' | 'shadowing') =>
    copy.edit('initiative.yaml', (text) => {
      const head = text.split('deliverables:\n')[0]!.trimEnd();
      return `${head}\n${initiativeChat(state)}`;
    });
  await initiative('proposed');
  await base(SIGNING.proposed);
  await commit(
    copy.dir,
    'Propose handing the base image signing to the CoreOS WG',
    HANDOVER_COMMITS.proposed,
  );
  await base(SIGNING.shadowing);
  await initiative('shadowing');
  await commit(copy.dir, 'CoreOS WG shadows the base image signing', HANDOVER_COMMITS.shadowing);
  await base(SIGNING.handedOver);
  await commit(
    copy.dir,
    'Base image signing handed over to the CoreOS WG',
    HANDOVER_COMMITS.handedOver,
  );
  return copy;
}
