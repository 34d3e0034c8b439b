/**
 * The written pages are complete: each has a title and a search description, none holds a
 * placeholder, and every subproject in the catalog has its handover page.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';

const DOCS_DIR = 'content/docs';

/** Read every page under content/docs with its frontmatter. */
async function readPages(): Promise<
  Array<{ file: string; data: Record<string, unknown>; body: string }>
> {
  const entries = await readdir(DOCS_DIR, { recursive: true, withFileTypes: true });
  const pages = [];
  for (const entry of entries.filter((item) => item.isFile() && /\.mdx?$/.test(item.name))) {
    const file = relative(DOCS_DIR, join(entry.parentPath, entry.name));
    const text = await readFile(join(DOCS_DIR, file), 'utf8');
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    pages.push({
      file,
      data: (parse(match?.[1] ?? '') ?? {}) as Record<string, unknown>,
      body: match?.[2] ?? text,
    });
  }
  return pages.sort((a, b) => a.file.localeCompare(b.file));
}

describe('written pages', () => {
  it('are at least 20, each with a title and a description of one or two sentences', async () => {
    const pages = await readPages();
    expect(pages.length).toBeGreaterThanOrEqual(20);
    const incomplete = pages
      .filter(
        ({ data }) =>
          typeof data['title'] !== 'string' ||
          typeof data['description'] !== 'string' ||
          data['description'].length < 60,
      )
      .map(({ file }) => file);
    expect(incomplete).toEqual([]);
  });

  it('hold no placeholder text', async () => {
    const pages = await readPages();
    const placeholders = pages
      .filter(({ body }) => /\b(TODO|TBD|FIXME|lorem ipsum|coming soon)\b/i.test(body))
      .map(({ file }) => file);
    expect(placeholders).toEqual([]);
  });

  it('include a handover page for every subproject in the catalog, linking to its generated page', async () => {
    const catalog = await loadCatalog('content/catalog');
    const pages = new Map((await readPages()).map((page) => [page.file, page.body]));
    const missing = catalog.subprojects
      .map((subproject) => subproject.id)
      .filter(
        (id) =>
          !(pages.get(`handover/${id}.md`) ?? pages.get(`handover/${id}.mdx`) ?? '').includes(
            `(/subprojects/${id}/)`,
          ),
      );
    expect(missing).toEqual([]);
  });
});
