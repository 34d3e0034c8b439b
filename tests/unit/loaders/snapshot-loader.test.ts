import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotLoader } from '../../../src/loaders/snapshot-loader.ts';
import { createWatcherStub, fakeLoaderContext } from '../../helpers/loader-context.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
  await cp('tests/fixtures/snapshot', dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot loader', () => {
  it('loads a snapshot file as one entry named after its part, as its schema parses it', async () => {
    await writeFile(
      join(dir, 'audit.json'),
      '{ "schemaVersion": 1, "generatedAt": "2026-11-27T04:00:00Z", "findings": [] }',
    );
    const context = fakeLoaderContext();
    await snapshotLoader({ dir, part: 'audit' }).load(context);
    expect(context.store.keys()).toEqual(['audit']);
    const entry = context.store.get('audit')!;
    // `sample` is left out of the file; the schema's default says the data is real.
    expect(entry.data).toEqual({
      schemaVersion: 1,
      generatedAt: '2026-11-27T04:00:00Z',
      sample: false,
      findings: [],
    });
    expect(entry.digest).toBe(context.generateDigest(entry.data));
    expect(context.logs).toEqual([]);
  });

  it('warns and leaves no entry when the snapshot file is missing', async () => {
    const context = fakeLoaderContext();
    const loader = snapshotLoader({ dir, part: 'audit' });
    await loader.load(context);
    expect(context.store.keys()).toEqual(['audit']);

    await rm(join(dir, 'audit.json'));
    await loader.load(context);
    expect(context.store.keys()).toEqual([]);
    expect(context.logs).toEqual([
      `warn: ${join(dir, 'audit.json')} does not exist; pages will show its sources as unavailable. Run \`npm run sync\` to write it.`,
    ]);
  });

  it('fails on an invalid snapshot file, naming the file and the field', async () => {
    const file = join(dir, 'images.json');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('"status": "stale"', '"status": "fresh"'),
    );
    const failure = snapshotLoader({ dir, part: 'images' })
      .load(fakeLoaderContext())
      .catch((error: Error) => error.message);
    expect(await failure).toMatch(
      new RegExp(
        `^${file.replaceAll('.', '\\.')} is not a valid snapshot:\\n  images\\.1\\.status: .*\\nRun \`npm run sync\` to write it again\\.$`,
      ),
    );
  });

  it('in dev, loads the file again when the watcher reports a change in it', async () => {
    const watcher = createWatcherStub();
    const context = fakeLoaderContext({ watcher });
    await snapshotLoader({ dir, part: 'audit' }).load(context);
    await rm(join(dir, 'audit.json'));
    await watcher.emit('unlink', join(dir, 'audit.json'));
    expect(context.store.keys()).toEqual([]);
  });
});
