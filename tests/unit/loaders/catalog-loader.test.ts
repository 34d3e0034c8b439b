import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCatalog } from '../../../src/catalog/load.ts';
import { createCatalogLoaders } from '../../../src/loaders/catalog-loader.ts';
import { copyCatalog, type CatalogCopy } from '../../helpers/catalog.ts';
import {
  createWatcherStub,
  fakeLoaderContext,
  type FakeLoaderContext,
  type WatcherStub,
} from '../../helpers/loader-context.ts';

let copy: CatalogCopy;
let reads: string[];

beforeEach(async () => {
  copy = await copyCatalog();
  reads = [];
});
afterEach(async () => {
  await copy.remove();
});

/** Create the three loaders over the copy, counting the reads of the catalog. */
function loaders() {
  return createCatalogLoaders({
    dir: copy.dir,
    read: (dir) => {
      reads.push(dir);
      return readCatalog(dir);
    },
  });
}

/** Load the three collections at once, as Astro's content layer does, each into its own context. */
async function loadAll(watcher?: WatcherStub) {
  const { subprojects, sigs, initiative } = loaders();
  const contexts = {
    subprojects: fakeLoaderContext({ watcher }),
    sigs: fakeLoaderContext({ watcher }),
    initiative: fakeLoaderContext({ watcher }),
  };
  await Promise.all([
    subprojects.load(contexts.subprojects),
    sigs.load(contexts.sigs),
    initiative.load(contexts.initiative),
  ]);
  return contexts;
}

/** The name of each stored entry of a collection, by id. */
function names(context: FakeLoaderContext): Record<string, unknown> {
  return Object.fromEntries(
    context.store.keys().map((id) => [id, context.store.get(id)?.data['name']]),
  );
}

describe('catalog loaders', () => {
  it('read the catalog once for the three catalog collections', async () => {
    const contexts = await loadAll();
    expect(reads).toEqual([copy.dir]);
    expect(names(contexts.subprojects)).toEqual({ base: 'Base images', coreos: 'Fedora CoreOS' });
    expect(names(contexts.sigs)).toEqual({
      'coreos-wg': 'Fedora CoreOS Working Group',
      'bootc-team': 'bootc base images team',
    });
    expect(names(contexts.initiative)).toEqual({ initiative: 'Test Initiative' });
    expect(contexts.subprojects.logs).toEqual([`info: Loaded 2 subprojects from ${copy.dir}`]);
  });

  it('fail with every problem of an invalid catalog, in each collection', async () => {
    await copy.edit('subprojects/coreos.yaml', (text) =>
      text.replace('role: variant', 'role: vairant'),
    );
    await copy.edit('sigs.yaml', (text) => text.replace('kind: team', 'knd: team'));
    const { subprojects, sigs } = loaders();
    for (const loader of [subprojects, sigs]) {
      const failure = loader.load(fakeLoaderContext()).catch((error: Error) => error.message);
      expect((await failure)?.replaceAll(copy.dir, '<catalog>')).toBe(
        [
          'The catalog in <catalog> is invalid:',
          '<catalog>/sigs.yaml:15:5  sigs[1].knd: unknown key "knd"; did you mean "kind"?',
          '<catalog>/subprojects/coreos.yaml:10:11  images[0].role: the text "vairant" is not allowed; write one of "base", "variant", "ci", "downstream", "tool".',
          '2 problems in the catalog.',
          'Run `npm run validate` for the same list.',
        ].join('\n'),
      );
    }
    expect(reads).toHaveLength(1);
  });

  it('in dev, read the catalog again once when the watcher reports a change in it, and refill every collection', async () => {
    const watcher = createWatcherStub();
    const contexts = await loadAll(watcher);
    expect(watcher.added).toContain(copy.dir);

    await watcher.emit('change', join(copy.dir, '..', 'elsewhere.yaml'));
    expect(reads).toHaveLength(1);

    await copy.edit('subprojects/coreos.yaml', (text) =>
      text.replace('name: Fedora CoreOS', 'name: Fedora CoreOS (renamed)'),
    );
    await copy.edit('sigs.yaml', (text) =>
      text.replace('name: bootc base images team', 'name: Base images team'),
    );
    await watcher.emit('change', join(copy.dir, 'subprojects', 'coreos.yaml'));
    expect(reads).toHaveLength(2);
    expect(names(contexts.subprojects)['coreos']).toBe('Fedora CoreOS (renamed)');
    expect(names(contexts.sigs)['bootc-team']).toBe('Base images team');
  });

  it('in dev, keep the last valid catalog and log its problems once when an edit breaks it', async () => {
    const watcher = createWatcherStub();
    const contexts = await loadAll(watcher);
    await copy.edit('subprojects/coreos.yaml', (text) =>
      text.replace('role: variant', 'role: vairant'),
    );
    await watcher.emit('unlink', join(copy.dir, 'subprojects', 'coreos.yaml'));
    expect(reads).toHaveLength(2);
    expect(names(contexts.subprojects)['coreos']).toBe('Fedora CoreOS');
    const errors = Object.values(contexts).flatMap((context) =>
      context.logs.filter((line) => line.startsWith('error: ')),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('images[0].role:');
    expect(errors[0]).toContain('The pages keep the last valid catalog.');
  });

  it('read the catalog again when an integration asks for a reload, once for the three collections', async () => {
    const { subprojects, sigs, initiative } = loaders();
    await subprojects.load(fakeLoaderContext());
    const refresh = { requestedBy: 'test' };
    const reload = () => ({ ...fakeLoaderContext(), refreshContextData: refresh });
    await Promise.all([subprojects.load(reload()), sigs.load(reload()), initiative.load(reload())]);
    expect(reads).toHaveLength(2);
  });
});
