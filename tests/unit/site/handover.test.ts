import { describe, expect, it } from 'vitest';
import type { Deliverable } from '../../../src/catalog/schema.ts';
import {
  describeDue,
  handoverBoard,
  handoverFeed,
  isOverdue,
  listPeople,
  openQuestions,
  personPath,
  sigHandover,
  totalStates,
} from '../../../src/site/handover.ts';
import type { CatalogHistory } from '../../../src/site/history.ts';
import { fixtureData } from '../../helpers/site-data.ts';

const NOW = new Date('2026-12-03T04:00:00Z');

function deliverable(
  fields: Partial<Deliverable> & Pick<Deliverable, 'id' | 'state'>,
): Deliverable {
  return { title: fields.id, kind: 'docs', ...fields };
}

/** The fixture data with a handover story: an orphan of CoreOS, work handed to the CoreOS WG. */
async function storyData() {
  const data = await fixtureData();
  const coreos = data.catalog.subprojects.find((subproject) => subproject.id === 'coreos')!;
  const base = data.catalog.subprojects.find((subproject) => subproject.id === 'base')!;
  coreos.deliverables.push(
    deliverable({ id: 'tenant', kind: 'konflux-tenant', state: 'orphaned' }),
    deliverable({
      id: 'notes',
      owner: 'github:dustymabe',
      incomingOwner: 'coreos-wg',
      state: 'proposed',
      due: '2026-01-15',
    }),
  );
  base.deliverables.push(
    deliverable({
      id: 'pipeline',
      kind: 'pipeline',
      owner: 'bootc-team',
      incomingOwner: 'coreos-wg',
      state: 'shadowing',
      due: '2026-12',
    }),
    deliverable({ id: 'base-tenant', state: 'orphaned', serves: 'coreos' }),
  );
  return data;
}

describe('handover', () => {
  it('marks a transfer overdue only once the whole period of its due date is over', () => {
    const proposed = deliverable({ id: 'a', state: 'proposed', owner: 'x', due: '2026-12' });
    expect(describeDue(proposed)).toBe('due approx. Dec 2026');
    expect(isOverdue(proposed, new Date('2026-12-31T23:00:00Z'))).toBe(false);
    expect(isOverdue(proposed, new Date('2027-01-01T00:00:00Z'))).toBe(true);
    expect(isOverdue({ ...proposed, due: '2026-11-30' }, NOW)).toBe(true);
    expect(isOverdue({ ...proposed, state: 'owned', due: '2026-11-30' }, NOW)).toBe(false);
  });

  it("gives a SIG what it owns, what it takes over with the overdue marked, and its subprojects' orphans", async () => {
    const data = await storyData();
    const view = sigHandover(data.catalog, 'coreos-wg', NOW);
    expect(view.owns.map((item) => item.deliverable.id)).toEqual(['fcos-image']);
    expect(
      view.incoming.map((item) => [item.deliverable.id, item.deliverable.owner, item.overdue]),
    ).toEqual([
      ['pipeline', 'bootc-team', false],
      ['notes', 'github:dustymabe', true],
    ]);
    expect(view.orphaned.map((item) => item.deliverable.id)).toEqual(['base-tenant', 'tenant']);
  });

  it('lays out the board with orphaned and overdue first, and counts that sum to the total', async () => {
    const data = await storyData();
    const history: CatalogHistory = {
      available: true,
      commits: 2,
      changes: [
        {
          subproject: 'base',
          deliverable: 'pipeline',
          title: 'pipeline',
          field: 'state',
          from: 'proposed',
          to: 'shadowing',
          commit: 'a'.repeat(40),
          date: '2026-06-10T09:00:00Z',
          author: 'Tester',
          subject: 'Shadow the pipeline',
        },
      ],
    };
    const board = handoverBoard(data.catalog, history, NOW);
    expect(board.attention.map((item) => item.deliverable.id)).toEqual([
      'notes',
      'base-tenant',
      'tenant',
    ]);
    expect(board.rows.map((row) => [row.subproject?.id, row.urgent])).toEqual([
      ['coreos', 2],
      ['base', 1],
    ]);
    expect(board.rows[0]!.cells.docs!.map((item) => item.deliverable.id)).toEqual(['notes']);
    expect(board.rows[1]!.cells.pipeline![0]!.changes).toHaveLength(1);
    const totals = totalStates(
      data.catalog.subprojects.flatMap((subproject) => subproject.deliverables),
    );
    expect(totals.rows.reduce((sum, row) => sum + row.count, 0)).toBe(totals.total);
    expect(totals.total).toBe(5);

    const feed = handoverFeed(data.catalog, history, 'https://hub.example/');
    expect(feed).toContain('<title>pipeline (Base images): state proposed → shadowing</title>');
    expect(feed).toContain('<updated>2026-06-10T09:00:00Z</updated>');
    expect(feed).toContain(
      '<link href="https://hub.example/subprojects/base/#deliverable-pipeline"/>',
    );
  });

  it("shows the initiative's own deliverables: a board row, the SIG that takes one over, orphans, the feed", async () => {
    const data = await storyData();
    data.catalog.initiative.deliverables.push(
      deliverable({
        id: 'chat',
        title: 'Initiative chat room',
        kind: 'community',
        owner: 'bootc-team',
        incomingOwner: 'coreos-wg',
        state: 'shadowing',
        due: '2026-10',
      }),
      deliverable({ id: 'meeting', kind: 'community', state: 'orphaned', serves: 'coreos' }),
    );
    const history: CatalogHistory = {
      available: true,
      commits: 1,
      changes: [
        {
          subproject: undefined,
          deliverable: 'chat',
          title: 'Initiative chat room',
          field: 'state',
          from: 'proposed',
          to: 'shadowing',
          commit: 'b'.repeat(40),
          date: '2026-07-01T09:00:00Z',
          author: 'Tester',
          subject: 'CoreOS WG shadows the chat room',
        },
      ],
    };
    const board = handoverBoard(data.catalog, history, NOW);
    // The initiative's row (one overdue, one orphaned) ranks with the subprojects by urgency.
    expect(board.rows.map((row) => [row.holder.label, row.urgent])).toEqual([
      ['Fedora CoreOS', 2],
      ['Test Initiative (its own)', 2],
      ['Base images', 1],
    ]);
    expect(board.rows[1]!.holder.href).toBe('/handover/#initiative');
    expect(board.rows[1]!.cells.community!.map((item) => item.deliverable.id)).toEqual([
      'chat',
      'meeting',
    ]);
    expect(board.initiative.map((item) => [item.deliverable.id, item.path])).toEqual([
      ['chat', '/handover/#initiative-deliverable-chat'],
      ['meeting', '/handover/#initiative-deliverable-meeting'],
    ]);
    expect(board.initiative[0]!.changes).toHaveLength(1);
    expect(board.attention.map((item) => item.deliverable.id)).toEqual([
      'notes',
      'chat',
      'base-tenant',
      'tenant',
      'meeting',
    ]);
    expect(board.totals.total).toBe(7);

    const sig = sigHandover(data.catalog, 'coreos-wg', NOW);
    expect(sig.incoming.map((item) => [item.deliverable.id, item.holder.label])).toContainEqual([
      'chat',
      'Test Initiative',
    ]);
    expect(sig.orphaned.map((item) => item.deliverable.id)).toContain('meeting');
    expect(sigHandover(data.catalog, 'bootc-team', NOW).owns.map((item) => item.path)).toContain(
      '/handover/#initiative-deliverable-chat',
    );

    const feed = handoverFeed(data.catalog, history, 'https://hub.example/');
    expect(feed).toContain(
      '<title>Initiative chat room (Test Initiative): state proposed → shadowing</title>',
    );
    expect(feed).toContain(
      '<link href="https://hub.example/handover/#initiative-deliverable-chat"/>',
    );
  });

  it('says in the feed when the history is unavailable', async () => {
    const data = await fixtureData();
    const feed = handoverFeed(
      data.catalog,
      { available: false, reason: 'no git here.', commits: 0, changes: [] },
      'https://hub.example',
    );
    expect(feed).toContain('<subtitle>History unavailable: no git here.</subtitle>');
    expect(feed).not.toContain('<entry>');
  });

  it("lists each handle with what it owns, takes over, the SIGs that list it and the forges' word", async () => {
    const data = await storyData();
    const people = listPeople(data);
    const dusty = people.find((person) => person.handle === 'github:dustymabe')!;
    expect(dusty.owns.map((item) => item.deliverable.id)).toEqual(['notes']);
    expect(dusty.memberOf.map((sig) => sig.id)).toEqual(['coreos-wg']);
    expect(dusty.observed.map((role) => `${role.forge} ${role.repo}`)).toContain(
      'GitHub coreos/fedora-coreos-config',
    );
    expect(personPath('github:ublue-os/approver')).toBe('/people/github/ublue-os/approver/');
    expect(personPath('fas:@releng')).toBe('/people/fas/@releng/');
  });

  it('reads the open questions of a handover guide', () => {
    const guide = [
      '## Scope',
      '- not a question',
      '## Open questions for the incoming owners',
      '1. **Konflux.** Who builds the images',
      '   in Konflux?',
      '- Where do the `manifests` live? See [the tracker](https://example.org).',
      '## Links',
      '- elsewhere',
    ].join('\n');
    expect(openQuestions(guide)).toEqual([
      'Konflux. Who builds the images in Konflux?',
      'Where do the manifests live? See the tracker.',
    ]);
    expect(openQuestions('## Scope\n- nothing open')).toEqual([]);
  });
});
