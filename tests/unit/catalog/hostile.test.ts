/**
 * Hostile catalog input: links out of the catalog, huge or empty files, alias bombs, patterns that
 * backtrack. Each is a clear problem with file:line, and `npm run validate` exits 2 with no stack
 * trace and without echoing what it refused to read.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/load.ts';
import { compileTagPattern, TagPatternError } from '../../../src/catalog/tag-pattern.ts';
import { copyCatalog, problemsOf, runValidate, type CatalogCopy } from '../../helpers/catalog.ts';

let copy: CatalogCopy;

beforeEach(async () => {
  copy = await copyCatalog();
});
afterEach(async () => {
  await copy.remove();
});

async function problems(): Promise<string[]> {
  expect((await readCatalog(copy.dir)).catalog).toBeUndefined();
  return problemsOf(copy);
}

async function validate(): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runValidate(copy);
  return { code, output: stdout + stderr };
}

describe('hostile catalog files', () => {
  it('refuses a file that is a symbolic link, and never reads what it points at', async () => {
    const secret = join(copy.dir, '..', `secret-${process.pid}.yaml`);
    await writeFile(secret, 'id: leaked\nname: TOP-SECRET-VALUE\n');
    try {
      await symlink(secret, join(copy.dir, 'subprojects', 'evil.yaml'));
      await symlink('/etc/passwd', join(copy.dir, 'subprojects', 'passwd.yaml'));
      expect(await problems()).toEqual([
        'subprojects/evil.yaml:1:1  is a symbolic link; the catalog reads only regular files inside its folder. Replace the link with the file itself.',
        'subprojects/passwd.yaml:1:1  is a symbolic link; the catalog reads only regular files inside its folder. Replace the link with the file itself.',
      ]);
      const { code, output } = await validate();
      expect(code).toBe(2);
      expect(output).not.toContain('TOP-SECRET-VALUE');
      expect(output).not.toContain('root:');
    } finally {
      await rm(secret, { force: true });
    }
  });

  it('refuses a subprojects folder that is a symbolic link', async () => {
    const elsewhere = join(copy.dir, '..', `elsewhere-${process.pid}`);
    await mkdir(elsewhere, { recursive: true });
    try {
      await rm(join(copy.dir, 'subprojects'), { recursive: true });
      await symlink(elsewhere, join(copy.dir, 'subprojects'));
      expect(await problems()).toEqual([
        'subprojects:1:1  is a symbolic link; make subprojects/ a folder of YAML files inside the catalog.',
      ]);
      expect((await validate()).code).toBe(2);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a file over 1 MiB without parsing it', async () => {
    await copy.write('subprojects/huge.yaml', `notes: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    expect(await problems()).toEqual([
      'subprojects/huge.yaml:1:1  is 2.0 MiB; a catalog file holds at most 1 MiB. Split it, or move long text to content/docs/.',
    ]);
  });

  it('reports an empty file instead of crashing', async () => {
    await copy.write('subprojects/empty.yaml', '');
    expect(await problems()).toEqual([
      'subprojects/empty.yaml:1:1  the file is empty; fill it in (see content/catalog/examples/) or delete it.',
    ]);
    const { code, output } = await validate();
    expect(code).toBe(2);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('reports an alias bomb instead of expanding it', async () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    await copy.write('subprojects/bomb.yaml', text);
    const found = await problems();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^subprojects\/bomb\.yaml:1:1 {2}YAML aliases expand too much \(.+\); write the values out instead of nesting aliases\.$/,
    );
    const { code, output } = await validate();
    expect(code).toBe(2);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('quotes a short excerpt of a long wrong value, never the whole text', async () => {
    const long = 'y'.repeat(5000);
    await copy.edit('subprojects/coreos.yaml', (text) =>
      text.replace('name: Fedora CoreOS', `name: [${long}]`),
    );
    const [problem] = await problems();
    expect(problem).toContain('name: expected text, found a list.');
    await copy.edit('subprojects/coreos.yaml', (text) =>
      text
        .replace(`name: [${long}]`, 'name: Fedora CoreOS')
        .replace('role: variant', `role: ${long}`),
    );
    const [enumProblem] = await problems();
    expect(enumProblem!.length).toBeLessThan(400);
    expect(enumProblem).toContain('… (5000 characters)');
  });
});

describe('tag patterns that would backtrack', () => {
  it('refuses more than one <any>, which validate reports before any sync', async () => {
    expect(() => compileTagPattern('<any>-<any>-<any>-<any>x')).toThrow(TagPatternError);
    expect(() => compileTagPattern('<any>-<any>-<any>-<any>x')).toThrow(
      'Tag pattern "<any>-<any>-<any>-<any>x" has 4 <any> placeholders; use one at most, and the specific ones (<version> <date> <n> <arch> <sha>) for the rest.',
    );
    await copy.edit('subprojects/coreos.yaml', (text) =>
      text.replace('tags: [stable, testing, next]', "match: '<any><any>'"),
    );
    expect(await problems()).toEqual([
      'subprojects/coreos.yaml:14:16  images[0].streams[0].match: Tag pattern "<any><any>" has 2 <any> placeholders; use one at most, and the specific ones (<version> <date> <n> <arch> <sha>) for the rest.',
    ]);
  });

  it('still accepts one <any> among specific placeholders', () => {
    const pattern = compileTagPattern('<any>-<version>.<date>.<n>');
    expect(pattern.test('stable-44.20261201.0')).toBe(true);
    expect(pattern.test(`${'a-'.repeat(60)}!`)).toBe(false);
  });

  it('refuses a pattern longer than any tag', () => {
    expect(() => compileTagPattern(`${'a'.repeat(200)}<n>`)).toThrow(/has 203 characters/);
  });
});
