import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogHistory, type GitRunner } from '../../../src/site/history.ts';
import { createHandoverCatalog, HANDOVER_COMMITS } from '../../helpers/handover-catalog.ts';
import type { CatalogCopy } from '../../helpers/catalog.ts';

let catalog: CatalogCopy;
beforeAll(async () => {
  catalog = await createHandoverCatalog();
});
afterAll(async () => {
  await catalog?.remove();
});

describe('the catalog history', () => {
  it('finds each state and owner change in the commits that made it, newest first, initiative.yaml included', () => {
    const history = readCatalogHistory(catalog.dir);
    expect(history.available).toBe(true);
    expect(history.commits).toBe(3);
    expect(
      history.changes.map((change) => [
        change.date.slice(0, 10),
        change.deliverable,
        change.field,
        change.from,
        change.to,
        change.author,
      ]),
    ).toEqual([
      ['2026-09-01', 'signing', 'incomingOwner', 'coreos-wg', undefined, 'Handover Tester'],
      ['2026-09-01', 'signing', 'owner', 'bootc-team', 'coreos-wg', 'Handover Tester'],
      ['2026-09-01', 'signing', 'state', 'shadowing', 'handed-over', 'Handover Tester'],
      ['2026-06-10', 'signing', 'state', 'proposed', 'shadowing', 'Handover Tester'],
      ['2026-06-10', 'chat', 'state', 'proposed', 'shadowing', 'Handover Tester'],
    ]);
    // The initiative's own deliverable, from initiative.yaml, belongs to no subproject.
    expect(history.changes[4]!.subproject).toBeUndefined();
    expect(new Date(history.changes[3]!.date).toISOString()).toBe(
      new Date(HANDOVER_COMMITS.shadowing).toISOString(),
    );
    expect(history.changes[3]!.subject).toBe('CoreOS WG shadows the base image signing');
    expect(history.changes[3]!.subproject).toBe('base');
  });

  it('says the history is unavailable when git cannot read it, instead of failing', () => {
    const noGit: GitRunner = () => ({ status: 128, stdout: Buffer.from('') });
    expect(readCatalogHistory('content/catalog', noGit)).toEqual({
      available: false,
      reason: 'content/catalog is not in a git repository, or git is not installed.',
      commits: 0,
      changes: [],
    });
  });
});
