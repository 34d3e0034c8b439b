/**
 * The committed snapshot (content/snapshot/*.json) tells the truth about itself. Its dates are in
 * order: nothing is built after it was seen, seen after it was fetched, or fetched after the file
 * was written. While it is sample data (`sample: true`, written by `npm run snapshot:sample` and
 * `npm run snapshot:sample-repos`), it must not pass for facts about real people or real work: no
 * good-first-issue entry links to a single real issue, no real person from the catalog appears as an
 * observed owner, lineage confirms no base that the sources contradict, and tags follow the real
 * schemes (a Rawhide build carries its version number too).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import type { Catalog } from '../../../src/catalog/schema.ts';
import { readSnapshotFile, SNAPSHOT_FILES } from '../../../src/snapshot/io.ts';
import { readImagesSnapshot } from '../../../src/snapshot/images-files.ts';
import {
  AuditSnapshotSchema,
  type AuditSnapshot,
  type ImagesSnapshot,
  ImagesIndexSchema,
  ReposSnapshotSchema,
  type ReposSnapshot,
} from '../../../src/snapshot/schema.ts';

const SNAPSHOT_DIR = 'content/snapshot';
const CATALOG_DIR = 'content/catalog';
const VERSION_LABEL = 'org.opencontainers.image.version';

/** Read one committed snapshot file, or fail with what to run. */
async function readCommitted<S extends Parameters<typeof readSnapshotFile>[1]>(
  file: string,
  schema: S,
): Promise<NonNullable<Awaited<ReturnType<typeof readSnapshotFile<S>>>>> {
  const data = await readSnapshotFile(join(SNAPSHOT_DIR, file), schema);
  if (!data) throw new Error(`${SNAPSHOT_DIR}/${file} is missing; run npm run snapshot:sample.`);
  return data;
}

const images: ImagesSnapshot = (await readImagesSnapshot(
  join(SNAPSHOT_DIR, SNAPSHOT_FILES.images),
))!;
const repos: ReposSnapshot = await readCommitted(SNAPSHOT_FILES.repos, ReposSnapshotSchema);
const audit: AuditSnapshot = await readCommitted(SNAPSHOT_FILES.audit, AuditSnapshotSchema);
const catalog: Catalog = await loadCatalog(CATALOG_DIR);

/** Collect "what: earlier (a) is after later (b)" for every pair out of order; nulls are unknown, not wrong. */
function outOfOrder(
  problems: string[],
  where: string,
  ...points: Array<readonly [label: string, time: string | null | undefined]>
): void {
  const known = points.filter((point): point is [string, string] => typeof point[1] === 'string');
  for (let i = 0; i < known.length; i++)
    for (let j = i + 1; j < known.length; j++) {
      const [earlier, a] = known[i]!;
      const [later, b] = known[j]!;
      if (Date.parse(a) > Date.parse(b))
        problems.push(`${where}: ${earlier} ${a} is after ${later} ${b}`);
    }
}

describe('layout of the committed images snapshot', () => {
  it('is an index with one file per image, and no file the index does not name', async () => {
    const index = ImagesIndexSchema.parse(
      JSON.parse(await readFile(join(SNAPSHOT_DIR, SNAPSHOT_FILES.images), 'utf8')),
    );
    expect(index.images.map((entry) => entry.ref)).toEqual(images.images.map((i) => i.ref));
    const files = await readdir(join(SNAPSHOT_DIR, 'images'), {
      recursive: true,
      withFileTypes: true,
    });
    expect(
      files
        .filter((entry) => entry.isFile())
        .map((entry) => relative(SNAPSHOT_DIR, join(entry.parentPath, entry.name)))
        .sort(),
    ).toEqual(index.images.map((entry) => entry.file).sort());
  });
});

describe('dates of the committed snapshot', () => {
  it('images: every build is created <= seenAt <= fetchedAt <= generatedAt', () => {
    const problems: string[] = [];
    for (const image of images.images) {
      outOfOrder(
        problems,
        image.ref,
        ['fetchedAt', image.fetchedAt],
        ['generatedAt', images.generatedAt],
      );
      for (const mirror of image.mirrors)
        outOfOrder(
          problems,
          mirror.ref,
          ['fetchedAt', mirror.fetchedAt],
          ['generatedAt', images.generatedAt],
        );
      for (const tag of image.tags) {
        const where = `${image.ref}:${tag.name}`;
        const history = tag.history ?? [];
        const current = history[0];
        if (current?.digest !== tag.digest)
          problems.push(`${where}: history[0] is not the tag's current build ${tag.digest}`);
        for (const platform of tag.platforms)
          outOfOrder(
            problems,
            `${where} ${platform.os}/${platform.architecture}`,
            ['created', platform.created],
            ['seenAt', current?.seenAt],
            ['fetchedAt', image.fetchedAt],
          );
        history.forEach((build, index) =>
          outOfOrder(
            problems,
            `${where} history[${index}]`,
            ['created', build.created],
            ['seenAt', build.seenAt],
            ['fetchedAt', image.fetchedAt],
            ['generatedAt', images.generatedAt],
          ),
        );
        for (let index = 1; index < history.length; index++)
          outOfOrder(
            problems,
            `${where} history (newest first)`,
            [`history[${index}].seenAt`, history[index]!.seenAt],
            [`history[${index - 1}].seenAt`, history[index - 1]!.seenAt],
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('images: no build is older than the base build its layers start from', () => {
    const builds = new Map(
      images.images.flatMap((image) =>
        image.tags.flatMap((tag) => (tag.history ?? []).map((build) => [build.digest, build])),
      ),
    );
    const problems: string[] = [];
    for (const image of images.images)
      for (const tag of image.tags) {
        if (tag.basedOn?.method !== 'layers') continue;
        const base = tag.basedOn.digest ? builds.get(tag.basedOn.digest) : undefined;
        if (!base) problems.push(`${image.ref}:${tag.name}: its base build is not in the snapshot`);
        outOfOrder(
          problems,
          `${image.ref}:${tag.name} on ${tag.basedOn.ref}`,
          ['base build created', base?.created],
          ['created', tag.history?.[0]?.created],
        );
      }
    expect(problems).toEqual([]);
  });

  it('repos: last commits and releases are no later than fetchedAt <= generatedAt', () => {
    const problems: string[] = [];
    for (const repo of repos.repos)
      for (const point of [
        ['lastCommitAt', repo.facts?.lastCommitAt],
        ['latest release publishedAt', repo.facts?.latestRelease?.publishedAt],
      ] as const)
        outOfOrder(
          problems,
          repo.url,
          point,
          ['fetchedAt', repo.fetchedAt],
          ['generatedAt', repos.generatedAt],
        );
    outOfOrder(
      problems,
      'audit.json',
      ['repos.json generatedAt', repos.generatedAt],
      ['generatedAt', audit.generatedAt],
    );
    expect(problems).toEqual([]);
  });
});

describe.runIf(images.sample && repos.sample)('while the committed snapshot is sample data', () => {
  it('links no good first issue to a single issue: each is a sample entry linking to a search or list', () => {
    const items = repos.repos.flatMap((repo) =>
      (repo.facts?.goodFirstIssues.items ?? []).map((item) => ({ repo: repo.url, ...item })),
    );
    expect(items.length).toBeGreaterThan(0);
    const single = /\/(issues|pull|merge_requests|pulls)\/\d+(?:$|[/?#])/;
    expect(items.filter((item) => single.test(item.url))).toEqual([]);
    expect(items.filter((item) => !item.title.startsWith('Sample entry'))).toEqual([]);
    // The search belongs to the repository the entry is listed under.
    expect(items.filter((item) => !item.url.startsWith(`${item.repo}/`))).toEqual([]);
  });

  it('names no person of the catalog as an observed owner', () => {
    const people = new Set<string>();
    const addPerson = (person: { fas?: string; github?: string; gitlab?: string }) => {
      for (const handle of [person.fas, person.github, person.gitlab])
        if (handle) people.add(handle.toLowerCase());
    };
    for (const sig of catalog.sigs) for (const member of sig.members) addPerson(member);
    addPerson(catalog.initiative.lead);
    addPerson(catalog.initiative.sponsor);
    for (const subproject of catalog.subprojects)
      for (const deliverable of subproject.deliverables) {
        const handle = /^(?:github|gitlab|forgejo|fas):([^/]+)$/.exec(deliverable.owner ?? '')?.[1];
        if (handle) people.add(handle.toLowerCase());
      }
    expect(people.size).toBeGreaterThan(20);
    const named = repos.repos.flatMap((repo) =>
      repo.owners
        .filter((owner) => people.has(owner.handle.replace(/^[a-z]+:@?/, '').toLowerCase()))
        .map((owner) => `${repo.url}: ${owner.handle}`),
    );
    expect(named).toEqual([]);
  });

  it('observes only sample handles, or the GitLab groups that hold a project', () => {
    const unexpected = repos.repos.flatMap((repo) => {
      const groups = new URL(repo.url).pathname.split('/').filter(Boolean).slice(0, -1);
      const holders = groups.map((_, depth) =>
        `gitlab:${groups.slice(0, depth + 1).join('/')}`.toLowerCase(),
      );
      return repo.owners
        .filter(
          (owner) =>
            !/(^|[:/@])sample-(maintainer-\d+|team-[a-z])$/.test(owner.handle) &&
            !(repo.forge === 'gitlab' && holders.includes(owner.handle)),
        )
        .map((owner) => `${repo.url}: ${owner.handle}`);
    });
    expect(unexpected).toEqual([]);
  });

  it('confirms by layers only a base of the same Fedora version', () => {
    const tagsOf = new Map(
      images.images.map((image) => [image.ref, new Map(image.tags.map((t) => [t.name, t]))]),
    );
    const version = (platforms: Array<{ labels: Record<string, string> }>) =>
      platforms[0]?.labels[VERSION_LABEL];
    const mismatched = images.images.flatMap((image) =>
      image.tags.flatMap((tag) => {
        if (tag.basedOn?.method !== 'layers') return [];
        const at = tag.basedOn.ref.lastIndexOf(':');
        const base = tagsOf.get(tag.basedOn.ref.slice(0, at))?.get(tag.basedOn.ref.slice(at + 1));
        const mine = version(tag.platforms);
        const theirs = base ? version(base.platforms) : undefined;
        return mine === theirs
          ? []
          : [`${image.ref}:${tag.name} (${mine}) on ${tag.basedOn.ref} (${theirs})`];
      }),
    );
    expect(mismatched).toEqual([]);
  });

  it('does not confirm Fedora CoreOS on quay.io/fedora/fedora-bootc, which its sources do not build on', () => {
    // fedora-coreos-config pins its builder in build-args.conf: quay.io/bootc-devel/fedora-bootc-<v>-standard
    // (content/docs/handover/fedora-coreos.md). The development copy declares that builder, and shows it.
    const coreos = images.images.find((image) => image.ref === 'quay.io/fedora/fedora-coreos')!;
    expect(coreos.tags.filter((tag) => tag.basedOn?.verified).map((tag) => tag.name)).toEqual([]);
    const devel = images.images.find(
      (image) => image.ref === 'quay.io/coreos-devel/fedora-coreos',
    )!;
    expect(devel.tags.find((tag) => tag.name === 'stable')?.basedOn).toMatchObject({
      ref: expect.stringMatching(/^quay\.io\/bootc-devel\/fedora-bootc-44-standard:/),
      method: 'layers',
      verified: true,
    });
  });

  it('tags every Rawhide build with its version number too, where the repository has version tags', () => {
    const problems = images.images.flatMap((image) => {
      const rawhide = image.tags.find((tag) => tag.name === 'rawhide');
      if (!rawhide || !image.tags.some((tag) => /^\d+$/.test(tag.name))) return [];
      const label = rawhide.platforms[0]?.labels[VERSION_LABEL];
      const beside = image.tags.find(
        (tag) => /^\d+$/.test(tag.name) && tag.digest === rawhide.digest,
      );
      if (!beside) return [`${image.ref}: rawhide has no version tag on its digest`];
      return beside.name === label
        ? []
        : [`${image.ref}: rawhide is tagged ${beside.name} but labelled version ${label}`];
    });
    expect(problems).toEqual([]);
  });
});
