import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/load.ts';
import { copyCatalog, problemsOf, runValidate, type CatalogCopy } from '../../helpers/catalog.ts';

let copy: CatalogCopy;

beforeEach(async () => {
  copy = await copyCatalog();
});
afterEach(async () => {
  await copy.remove();
});

/** Read the copied catalog and format its problems with paths relative to the copy. */
async function problems(): Promise<string[]> {
  expect((await readCatalog(copy.dir)).catalog).toBeUndefined();
  return problemsOf(copy);
}

/** Run the `npm run validate` script on the copy; returns its exit code and output. */
const validateScript = () => runValidate(copy);

interface Case {
  name: string;
  edits: [file: string, from: string, to: string][];
  expected: string[];
}

const cases: Case[] = [
  {
    name: 'broken YAML syntax, at its position',
    edits: [['subprojects/coreos.yaml', 'sigs: [coreos-wg]', 'sigs: [coreos-wg']],
    expected: [
      'subprojects/coreos.yaml:5:1  YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
  {
    name: 'a missing required field, at its parent',
    edits: [
      [
        'subprojects/coreos.yaml',
        'summary: An automatically updating operating system for containers.\n',
        '',
      ],
    ],
    expected: ['subprojects/coreos.yaml:1:1  summary: is required: add `summary:` with text.'],
  },
  {
    name: 'a wrong type, with the value found',
    edits: [['initiative.yaml', 'release: 44', 'release: forty-four']],
    expected: [
      'initiative.yaml:13:14  milestones[0].release: expected a number, found the text "forty-four".',
    ],
  },
  {
    name: 'an unknown key, with the key meant',
    edits: [['subprojects/coreos.yaml', '    basedOn:', '    basedon:']],
    expected: [
      'subprojects/coreos.yaml:11:5  images[0].basedon: unknown key "basedon"; did you mean "basedOn"?',
    ],
  },
  {
    name: 'an unknown key with no near match, listing the allowed keys',
    edits: [
      ['sigs.yaml', '    kind: working-group\n', '    kind: working-group\n    chair: someone\n'],
    ],
    expected: [
      'sigs.yaml:5:5  sigs[0].chair: unknown key "chair"; allowed keys here: id, name, kind, summary, contacts, members, forgeTeams, notes, provenance.',
    ],
  },
  {
    name: 'provenance of a field the object does not have, with the field meant',
    edits: [
      [
        'subprojects/coreos.yaml',
        '      owner:\n        unverified:',
        '      ownr:\n        unverified:',
      ],
    ],
    expected: [
      'subprojects/coreos.yaml:23:7  deliverables[0].provenance.ownr: unknown key "ownr"; did you mean "owner"?',
    ],
  },
  {
    name: 'provenance that says nothing',
    edits: [
      [
        'subprojects/coreos.yaml',
        '        unverified: inferred from the meeting list\n        source: https://github.com/coreos/fedora-coreos-tracker\n',
        '        {}\n',
      ],
    ],
    expected: [
      'subprojects/coreos.yaml:24:9  deliverables[0].provenance.owner: give `source:` (the URL the fact was read in), `unverified:` (why it is not confirmed), or both',
    ],
  },
  {
    name: 'an id used by two files, naming where it was first used',
    edits: [
      ['subprojects/coreos.yaml', 'id: coreos', 'id: base'],
      ['initiative.yaml', 'subproject: coreos', 'subproject: base'],
    ],
    expected: [
      'subprojects/coreos.yaml:1:5  id: duplicate subproject id "base", first used at subprojects/base.yaml:1:5; give each subproject its own id.',
    ],
  },
  {
    name: 'a reference to a SIG that does not exist',
    edits: [['subprojects/coreos.yaml', 'sigs: [coreos-wg]', 'sigs: [coreos-sig]']],
    expected: [
      'subprojects/coreos.yaml:4:8  sigs[0]: SIG "coreos-sig" does not exist in sigs.yaml; did you mean "coreos-wg"?',
    ],
  },
  {
    name: 'an owner SIG that does not exist',
    edits: [['subprojects/coreos.yaml', 'owner: coreos-wg', 'owner: atomic-sig']],
    expected: [
      'subprojects/coreos.yaml:20:12  deliverables[0].owner: SIG "atomic-sig" does not exist in sigs.yaml; known SIG ids: bootc-team, coreos-wg. For a person, write "github:<login>" or "fas:<user>".',
    ],
  },
  {
    name: 'a tag where a repository is expected',
    edits: [
      [
        'subprojects/coreos.yaml',
        '- ref: quay.io/fedora/fedora-coreos',
        '- ref: quay.io/fedora/fedora-coreos:stable',
      ],
    ],
    expected: [
      'subprojects/coreos.yaml:9:10  images[0].ref: "quay.io/fedora/fedora-coreos:stable" is a tag reference; list the repository here ("quay.io/fedora/fedora-coreos") and select tags under `streams:`.',
    ],
  },
  {
    name: 'a declared base that is not in the catalog',
    edits: [
      [
        'subprojects/coreos.yaml',
        'basedOn: quay.io/fedora/fedora-bootc',
        'basedOn: quay.io/fedora/fedora-botc',
      ],
    ],
    expected: [
      'subprojects/coreos.yaml:11:14  images[0].basedOn: "quay.io/fedora/fedora-botc" is not an image of the catalog; did you mean "quay.io/fedora/fedora-bootc"?',
    ],
  },
  {
    name: 'a value outside an enumeration',
    edits: [['subprojects/coreos.yaml', 'state: owned', 'state: done']],
    expected: [
      'subprojects/coreos.yaml:21:12  deliverables[0].state: the text "done" is not allowed; write one of "orphaned", "proposed", "shadowing", "co-owned", "handed-over", "owned", "external".',
    ],
  },
  {
    name: 'an incoming owner on a deliverable that stays with its owner',
    edits: [
      ['subprojects/coreos.yaml', 'state: owned', 'state: owned\n    incomingOwner: bootc-team'],
    ],
    expected: [
      'subprojects/coreos.yaml:22:20  deliverables[0].incomingOwner: "owned" means no transfer is under way, but `incomingOwner` is "bootc-team"; write `state: proposed` (or shadowing, co-owned) for a planned handover, or remove `incomingOwner`.',
    ],
  },
  {
    name: '"handed-over" without the date or the previous owner',
    edits: [['subprojects/coreos.yaml', 'state: owned', 'state: handed-over']],
    expected: [
      'subprojects/coreos.yaml:21:12  deliverables[0].state: "handed-over" needs the date of the handover in `since`, e.g. `since: \'2026-05-04\'`; for something that never changed hands, write `state: owned`.',
      'subprojects/coreos.yaml:21:12  deliverables[0].state: "handed-over" needs `previousOwner`, who handed it over; for something that never changed hands, write `state: owned`.',
    ],
  },
  {
    name: 'a date range that runs backwards',
    edits: [
      ['subprojects/coreos.yaml', 'state: owned', "state: owned\n    due: '2026-12-01..2026-11'"],
    ],
    expected: [
      'subprojects/coreos.yaml:22:10  deliverables[0].due: a range runs from the earlier date to the later one, e.g. "2026-10..2026-12"',
    ],
  },
  {
    name: 'a due date on a deliverable with no transfer under way',
    edits: [['subprojects/coreos.yaml', 'state: owned', "state: owned\n    due: '2026-12'"]],
    expected: [
      'subprojects/coreos.yaml:22:10  deliverables[0].due: `due` is the deadline of a transfer, but "owned" has none under way; remove `due` or write `state: proposed`.',
    ],
  },
  {
    name: '"external" in a subproject of Fedora',
    edits: [['subprojects/coreos.yaml', 'state: owned', 'state: external']],
    expected: [
      'subprojects/coreos.yaml:21:12  deliverables[0].state: "external" is for what is maintained outside Fedora, but this subproject is part of Fedora (`official: true`); write `state: owned`, or `official: false` on the subproject.',
    ],
  },
  {
    name: "an initiative deliverable whose state contradicts it, by the subprojects' rules",
    edits: [
      [
        'initiative.yaml',
        'milestones:',
        'deliverables:\n  - id: chat\n    title: Initiative chat room\n    kind: community\n    owner: bootc-team\n    state: orphaned\n    incomingOwner: coreos-wg\nmilestones:',
      ],
    ],
    expected: [
      'initiative.yaml:15:12  deliverables[0].state: "orphaned" means nobody owns it, but `owner` is "bootc-team"; remove the owner or pick another state.',
    ],
  },
  {
    name: 'an initiative deliverable said to be maintained outside Fedora',
    edits: [
      [
        'initiative.yaml',
        'milestones:',
        'deliverables:\n  - id: chat\n    title: Initiative chat room\n    kind: community\n    owner: bootc-team\n    state: external\nmilestones:',
      ],
    ],
    expected: [
      'initiative.yaml:15:12  deliverables[0].state: "external" is for what is maintained outside Fedora, but the initiative\'s own deliverables are Fedora\'s; write `state: proposed` (or owned, orphaned) and say who runs it.',
    ],
  },
  {
    name: 'an initiative deliverable handed to a SIG that does not exist',
    edits: [
      [
        'initiative.yaml',
        'milestones:',
        "deliverables:\n  - id: chat\n    title: Initiative chat room\n    kind: community\n    owner: bootc-team\n    state: shadowing\n    incomingOwner: coreos\n    due: '2026-12'\nmilestones:",
      ],
    ],
    expected: [
      'initiative.yaml:16:20  deliverables[0].incomingOwner: SIG "coreos" does not exist in sigs.yaml; known SIG ids: bootc-team, coreos-wg. For a person, write "github:<login>" or "fas:<user>".',
    ],
  },
  {
    name: 'a tag pattern with an unknown placeholder, before any sync',
    edits: [['subprojects/coreos.yaml', 'tags: [stable, testing, next]', 'match: <version>.<day>']],
    expected: [
      'subprojects/coreos.yaml:14:16  images[0].streams[0].match: Tag pattern "<version>.<day>" has an unknown placeholder <day>; use one of <version> <major> <date> <n> <arch> <sha> <any>.',
    ],
  },
  {
    name: 'a repository URL that names no repository',
    edits: [
      [
        'subprojects/coreos.yaml',
        'https://github.com/coreos/fedora-coreos-config',
        'https://github.com/coreos',
      ],
    ],
    expected: [
      'subprojects/coreos.yaml:6:10  repos[0].url: "https://github.com/coreos" does not name a repository; write the full path, e.g. "https://github.com/<owner>/<repository>".',
    ],
  },
];

describe('catalog validation', () => {
  it('accepts the minimal fixture', async () => {
    const result = await readCatalog(copy.dir);
    expect(result.problems).toEqual([]);
    expect(result.catalog?.subprojects.map((subproject) => subproject.id)).toEqual([
      'base',
      'coreos',
    ]);
    const { code, stdout } = await validateScript();
    expect(code).toBe(0);
    expect(stdout).toContain(
      'is valid: 2 subprojects, 2 SIGs, 2 images, 1 deliverables (0 of the initiative itself), 1 milestones.',
    );
  });

  for (const testCase of cases) {
    it(`reports ${testCase.name}; npm run validate exits 2 with file:line`, async () => {
      for (const [file, from, to] of testCase.edits)
        await copy.edit(file, (text) => text.replace(from, to));
      expect(await problems()).toEqual(testCase.expected);
      const { code, stderr } = await validateScript();
      expect(code).toBe(2);
      expect(stderr.replaceAll(`${copy.dir}/`, '')).toContain(testCase.expected[0]);
    });
  }
});
