/**
 * What changes hands, to whom, by when, and what nobody owns: the SIG's view of its handover, the
 * handover board (subprojects by kind of deliverable), the people behind the handles, and the Atom
 * feed of the catalog's state and owner changes. Pure functions, no Astro; `now` is always given.
 */
import {
  DeliverableKinds,
  formatSourceDate,
  isPeriodOver,
  isSigOwner,
  TransferStates,
} from '../catalog/index.ts';
import type {
  Catalog,
  Deliverable,
  DeliverableKind,
  HandoverState,
  Subproject,
} from '../catalog/index.ts';
import type { ObservedOwner } from '../snapshot/index.ts';
import { writeAtomFeed } from './atom.ts';
import type { CatalogChange, CatalogHistory } from './history.ts';
import { SITE_BASE, withBase } from './base.ts';
import {
  deliverablePath,
  forgeName,
  initiativeDeliverablesPath,
  repoLabel,
  subprojectPath,
  type Link,
} from './links.ts';
import {
  countStates,
  isOrphaned,
  listDeliverables,
  listSigSubprojects,
  type DeliverableView,
} from './owners.ts';
import type { SiteData } from './views.ts';

// ---------------------------------------------------------------------------------------------
// Due dates

/** Tell whether a transfer is under way: proposed, shadowing or co-owned. */
export function isTransfer(state: HandoverState): boolean {
  return (TransferStates as readonly string[]).includes(state);
}

/**
 * Tell whether a deliverable is overdue at `now`: a transfer (or an orphan) whose due date's whole
 * period is over, so "2026-12" is not overdue before 2027-01-01.
 */
export function isOverdue(deliverable: Deliverable, now: Date): boolean {
  return (
    deliverable.due !== undefined &&
    (isTransfer(deliverable.state) || deliverable.state === 'orphaned') &&
    isPeriodOver(deliverable.due, now)
  );
}

/** Say when a deliverable is due as the source gave it: `due 2026-04-28`, `due approx. Dec 2026`. */
export function describeDue(deliverable: Deliverable): string | undefined {
  return deliverable.due === undefined ? undefined : `due ${formatSourceDate(deliverable.due)}`;
}

// ---------------------------------------------------------------------------------------------
// Totals

/** One line per state with its count, and the total they sum to. */
export interface StateTotals {
  rows: { state: HandoverState; count: number }[];
  total: number;
}

/** Count deliverables per state, every state listed, with the total the counts sum to. */
export function totalStates(deliverables: Deliverable[]): StateTotals {
  const counts = countStates(deliverables);
  return {
    rows: Object.entries(counts).map(([state, count]) => ({
      state: state as HandoverState,
      count,
    })),
    total: deliverables.length,
  };
}

// ---------------------------------------------------------------------------------------------
// A SIG's handover

/** A deliverable a SIG is taking over, with the owner to talk to. */
export interface IncomingView extends DeliverableView {
  overdue: boolean;
}

/** What a SIG owns, takes over, and what nobody owns in its subprojects. */
export interface SigHandover {
  owns: DeliverableView[];
  incoming: IncomingView[];
  /** Orphaned deliverables of its subprojects, or listed elsewhere and serving them. */
  orphaned: DeliverableView[];
  subprojects: Subproject[];
}

/** Gather a SIG's handover: what it owns, what it takes over (overdue marked), what is orphaned. */
export function sigHandover(catalog: Catalog, sigId: string, now: Date): SigHandover {
  const subprojects = listSigSubprojects(catalog, sigId);
  const ids = new Set(subprojects.map((subproject) => subproject.id));
  const all = listDeliverables(catalog);
  return {
    owns: all.filter(({ deliverable }) => deliverable.owner === sigId),
    incoming: all
      .filter(({ deliverable }) => deliverable.incomingOwner === sigId)
      .map((view) => ({ ...view, overdue: isOverdue(view.deliverable, now) })),
    orphaned: all.filter(
      ({ subproject, deliverable }) =>
        isOrphaned(deliverable) &&
        ((subproject !== undefined && ids.has(subproject.id)) ||
          (deliverable.serves !== undefined && ids.has(deliverable.serves))),
    ),
    subprojects,
  };
}

/** The questions a handover guide leaves open: the items under its "Open questions…" heading. */
export function openQuestions(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^##\s+Open questions/i.test(line));
  if (start < 0) return [];
  const questions: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const item = /^[-*]\s+(.*)$/.exec(line) ?? /^\d+\.\s+(.*)$/.exec(line);
    if (item) questions.push(item[1]!.trim());
    else if (/^\s{2,}\S/.test(line) && questions.length > 0)
      questions[questions.length - 1] += ` ${line.trim()}`;
  }
  return questions.map((question) =>
    question
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'),
  );
}

// ---------------------------------------------------------------------------------------------
// The board

/** A deliverable on the board, with what makes it urgent and its newest recorded change. */
export interface BoardItem extends DeliverableView {
  orphaned: boolean;
  overdue: boolean;
  changes: CatalogChange[];
}

/** One row of the board: a subproject's deliverables by kind, or the initiative's own. */
export interface BoardRow {
  /** The subproject; undefined for the initiative's row. */
  subproject: Subproject | undefined;
  /** The row's heading, linked: the subproject's page, or the initiative's list. */
  holder: Link;
  cells: Partial<Record<DeliverableKind, BoardItem[]>>;
  urgent: number;
}

/** The handover board: subprojects (and the initiative) by kind, the most urgent first. */
export interface HandoverBoard {
  kinds: DeliverableKind[];
  rows: BoardRow[];
  /** Orphaned and overdue deliverables, overdue first. */
  attention: BoardItem[];
  /** The initiative's own deliverables, the most urgent first, for its list on the board. */
  initiative: BoardItem[];
  totals: StateTotals;
}

const urgency = (item: BoardItem) => Number(item.overdue) * 2 + Number(item.orphaned);
const byUrgency = (a: BoardItem, b: BoardItem) => urgency(b) - urgency(a);

/**
 * Lay out the board: one row per subproject and one for the initiative's own deliverables (when it
 * has any), rows with orphaned or overdue deliverables first, those items first in each cell.
 */
export function handoverBoard(catalog: Catalog, history: CatalogHistory, now: Date): HandoverBoard {
  const items: BoardItem[] = listDeliverables(catalog).map((view) => ({
    ...view,
    orphaned: isOrphaned(view.deliverable),
    overdue: isOverdue(view.deliverable, now),
    changes: history.changes.filter(
      (change) =>
        change.subproject === view.subproject?.id && change.deliverable === view.deliverable.id,
    ),
  }));
  const kinds = DeliverableKinds.filter((kind) =>
    items.some((item) => item.deliverable.kind === kind),
  );
  const row = (subproject: Subproject | undefined, own: BoardItem[], holder: Link): BoardRow => {
    const cells: BoardRow['cells'] = {};
    for (const item of [...own].sort(byUrgency)) (cells[item.deliverable.kind] ??= []).push(item);
    return { subproject, holder, cells, urgent: own.filter((item) => urgency(item) > 0).length };
  };
  const initiative = items.filter((item) => item.subproject === undefined);
  const rows = [
    ...catalog.subprojects.map((subproject) =>
      row(
        subproject,
        items.filter((item) => item.subproject?.id === subproject.id),
        { label: subproject.name, href: subprojectPath(subproject.id) },
      ),
    ),
    ...(initiative.length > 0
      ? [
          row(undefined, initiative, {
            label: `${catalog.initiative.name} (its own)`,
            href: initiativeDeliverablesPath(),
          }),
        ]
      : []),
  ].sort((a, b) => b.urgent - a.urgent);
  return {
    kinds,
    rows,
    attention: items.filter((item) => urgency(item) > 0).sort(byUrgency),
    initiative: [...initiative].sort(byUrgency),
    totals: totalStates(items.map((item) => item.deliverable)),
  };
}

/** Say what a change did: `state proposed → shadowing`, `incoming owner set to iot-wg`. */
export function describeChange(change: CatalogChange): string {
  const field = { state: 'state', owner: 'owner', incomingOwner: 'incoming owner' }[change.field];
  if (change.from === undefined) return `${field} set to ${change.to}`;
  if (change.to === undefined) return `${field} ${change.from} removed`;
  return `${field} ${change.from} → ${change.to}`;
}

/** Write the Atom feed of the catalog's state and owner changes, newest first. */
export function handoverFeed(
  catalog: Catalog,
  history: CatalogHistory,
  siteUrl: string | undefined,
  limit = 200,
): string {
  const changes = history.changes.slice(0, limit);
  const name = (id: string | undefined) =>
    id === undefined
      ? catalog.initiative.name
      : (catalog.subprojects.find((subproject) => subproject.id === id)?.name ?? id);
  return writeAtomFeed(
    {
      path: withBase('/feeds/handover.xml'),
      alternate: withBase('/handover/'),
      title: 'Image Mode Hub: handover changes',
      subtitle: history.available ? undefined : `History unavailable: ${history.reason}`,
      updated: changes[0]?.date ?? '1970-01-01T00:00:00Z',
      entries: changes.map((change) => ({
        title: `${change.title} (${name(change.subproject)}): ${describeChange(change)}`,
        id: `urn:image-mode-hub:catalog:${change.commit}:${change.subproject ?? 'initiative'}:${change.deliverable}:${change.field}`,
        link: deliverablePath(change.subproject, change.deliverable),
        updated: change.date,
        author: change.author,
        summary: `${describeChange(change)} in commit ${change.commit.slice(0, 12)} (${change.date}): ${change.subject}`,
      })),
    },
    siteUrl,
  );
}

// ---------------------------------------------------------------------------------------------
// People

/** Where a forge names a person or team as an owner of a repository. */
export interface ObservedRole {
  repo: string;
  forge: string;
  owner: ObservedOwner;
}

/** A handle and everything it owns or takes over, in the catalog and on the forges. */
export interface PersonView {
  /** The handle, lower case: `github:castrojo`, `fas:@releng`. */
  handle: string;
  owns: DeliverableView[];
  incoming: DeliverableView[];
  /** SIGs that list the account among their members or forge teams. */
  memberOf: { id: string; name: string }[];
  observed: ObservedRole[];
}

/** Tell whether an owner is a `kind:login` handle (not a SIG id, not an e-mail address). */
export function isPersonHandle(owner: string): boolean {
  return /^[a-z]+:[^\s:]+$/.test(owner);
}

/** The site path of a person's page: `/people/github/castrojo/` under the base. */
export function personPath(handle: string, base: string = SITE_BASE): string {
  const [kind, login = ''] = handle.toLowerCase().split(/:(.*)/s);
  return withBase(`/people/${kind}/${login}/`, base);
}

/** Gather every handle the catalog or the forges name, with what each owns or takes over. */
export function listPeople(data: SiteData): PersonView[] {
  const people = new Map<string, PersonView>();
  const get = (raw: string) => {
    const handle = raw.toLowerCase();
    let view = people.get(handle);
    if (!view) {
      view = { handle, owns: [], incoming: [], memberOf: [], observed: [] };
      people.set(handle, view);
    }
    return view;
  };
  for (const view of listDeliverables(data.catalog)) {
    const { owner, incomingOwner } = view.deliverable;
    if (owner && !isSigOwner(owner)) get(owner).owns.push(view);
    if (incomingOwner && !isSigOwner(incomingOwner)) get(incomingOwner).incoming.push(view);
  }
  for (const sig of data.catalog.sigs) {
    const handles = [
      ...sig.members.flatMap((member) => [
        ...(member.fas ? [`fas:${member.fas}`] : []),
        ...(member.github ? [`github:${member.github}`] : []),
        ...(member.gitlab ? [`gitlab:${member.gitlab}`] : []),
      ]),
      ...sig.forgeTeams,
    ];
    for (const handle of new Set(handles.map((one) => one.toLowerCase())))
      get(handle).memberOf.push({ id: sig.id, name: sig.name });
  }
  for (const repo of data.repos?.repos ?? [])
    for (const owner of repo.owners ?? [])
      if (isPersonHandle(owner.handle))
        get(owner.handle).observed.push({
          repo: repoLabel(repo.url),
          forge: forgeName(repo.url),
          owner,
        });
  return [...people.values()]
    .filter((person) => isPersonHandle(person.handle))
    .sort((a, b) => a.handle.localeCompare(b.handle));
}
