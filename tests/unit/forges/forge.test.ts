import { describe, expect, it } from 'vitest';
import {
  MAX_OWNERS,
  MAX_SOURCES_PER_OWNER,
  mergeOwners,
  readFileOwners,
  type RepoFiles,
} from '../../../src/forges/forge.ts';
import type { RepoLocation } from '../../../src/forges/repo-url.ts';

const repo: RepoLocation = {
  url: 'https://github.com/example/app',
  webUrl: 'https://github.com/example/app',
  forge: 'github',
  host: 'github.com',
  path: 'example/app',
  owner: 'example',
  name: 'app',
};

/** A repository whose root holds these files, counting the reads of each. */
function rootFiles(files: Record<string, string>): RepoFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    listDirectory: async (_repo, dir) =>
      dir === '' ? Object.keys(files).map((name) => ({ name, path: name, type: 'file' })) : [],
    readFile: async (_repo, path) => {
      reads.push(path);
      return files[path];
    },
  };
}

describe('readFileOwners', () => {
  it('resolves the aliases of OWNERS from the OWNERS_ALIASES of the repository root', async () => {
    const files = rootFiles({
      OWNERS: 'approvers:\n  - build-team\n  - erin\n',
      OWNERS_ALIASES: 'aliases:\n  build-team:\n    - alice\n    - bob\n',
    });
    expect(await readFileOwners(files, repo, undefined)).toEqual([
      {
        handle: 'github:alice',
        sources: [
          { kind: 'owners-file', file: 'OWNERS', line: 2, detail: 'approver (alias build-team)' },
        ],
      },
      {
        handle: 'github:bob',
        sources: [
          { kind: 'owners-file', file: 'OWNERS', line: 2, detail: 'approver (alias build-team)' },
        ],
      },
      {
        handle: 'github:erin',
        sources: [{ kind: 'owners-file', file: 'OWNERS', line: 3, detail: 'approver' }],
      },
    ]);
  });

  it('does not read OWNERS_ALIASES when there is no OWNERS file', async () => {
    const files = rootFiles({ OWNERS_ALIASES: 'aliases:\n  team: [alice]\n' });
    expect(await readFileOwners(files, repo, undefined)).toEqual([]);
    expect(files.reads).toEqual([]);
  });

  it("puts a MAINTAINERS handle on the forge the file names, else on the repository's", async () => {
    const files = rootFiles({
      'MAINTAINERS.md':
        '| Name | GitHub |\n|---|---|\n| Kim | [kimgh](https://github.com/kimgh) |\n\nLee <lee@example.org> (@lee)\n',
    });
    const owners = await readFileOwners(
      files,
      { ...repo, forge: 'gitlab', host: 'gitlab.com' },
      undefined,
    );
    expect(owners.map((owner) => owner.handle)).toEqual(['github:kimgh', 'gitlab:lee']);
  });
});

describe('mergeOwners bounds', () => {
  it('keeps a 100,000-line CODEOWNERS to a page-sized list of owners and sources', () => {
    const owners = Array.from({ length: 100_000 }, (_, line) => ({
      handle: `github:user-${line % 2000}`,
      sources: [
        {
          kind: 'codeowners' as const,
          file: 'CODEOWNERS',
          line: line + 1,
          pattern: `/${'x'.repeat(5000)}-${line}`,
        },
      ],
    }));
    const merged = mergeOwners(owners);
    expect(merged).toHaveLength(MAX_OWNERS);
    expect(Math.max(...merged.map((owner) => owner.sources.length))).toBe(MAX_SOURCES_PER_OWNER);
    expect(
      Math.max(...merged.flatMap((owner) => owner.sources.map((s) => s.pattern!.length))),
    ).toBe(200);
    expect(JSON.stringify(merged).length).toBeLessThan(1_000_000);
  });
});
