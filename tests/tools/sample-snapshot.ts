/**
 * `npm run snapshot:sample`: build the committed sample snapshot (content/snapshot/images.json, the
 * index, and one file per image under content/snapshot/images/).
 *
 * Nothing here reaches quay.io or ghcr.io, so this loads a local docker-registry with fixture images
 * shaped like the real catalog (the same repository names and tag schemes), points every registry
 * host at it with IMAGE_MODE_REGISTRIES, and runs the real sync twice on a fixed sample clock: once,
 * then again after new builds of some base tags, so that lineage can say how far behind derived
 * images are. Every build is older than the sync that first sees it, and both syncs are no later
 * than the moment the sample is taken (SAMPLE_NOW, shared with the sample forge).
 *
 * Derived images are built on the base their sources name: the catalog's `basedOn`, except where a
 * source says otherwise (Fedora CoreOS builds on the quay.io/bootc-devel builder that
 * fedora-coreos-config pins), so lineage by layers only confirms what is true. Universal Blue's
 * rechunked images share no layers and fall through to `declared`. Tags follow the real schemes: a
 * Rawhide build carries its version number beside `rawhide` (base-images RELEASE.md). One mirror
 * tag drifts. Signed images get cosign tags. The sync starts from an empty snapshot, so nothing of
 * an earlier run leaks into the histories.
 *
 *   npm run snapshot:sample -- [--catalog DIR] [--snapshot DIR|FILE]
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog, DEFAULT_CATALOG_DIR } from '../../src/catalog/load.ts';
import { catalogImages } from '../../src/catalog/model.ts';
import { imagesFile, runImagesStep } from '../../src/sync/images-step.ts';
import { writeImagesSnapshot } from '../../src/sync/images-writer.ts';
import type { Image } from '../../src/catalog/schema.ts';
import { compileTagPattern } from '../../src/catalog/tag-pattern.ts';
import { DEFAULT_SNAPSHOT_DIR, stringifySnapshot } from '../../src/snapshot/io.ts';
import { readRegistryConfig } from '../../src/registry/config.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { compareVersions } from '../../src/registry/tags.ts';
import {
  makeLayer,
  pushImage,
  pushSignatureTag,
  retag,
  startRegistry,
  type Layer,
  type PlatformSpec,
  type Pushed,
} from '../helpers/registry.ts';
import { RAWHIDE_VERSION, SAMPLE_NOW } from '../fixtures/forges/sample.ts';

const { values } = parseArgs({
  options: {
    catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
    snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
  },
});

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The sample clock. The second sync is the moment the sample is taken. */
const SECOND_SYNC = SAMPLE_NOW.getTime();
/** New builds of some base tags, two days before the second sync. */
const REBUILT = SECOND_SYNC - 2 * DAY - 3 * HOUR;
/** The first sync, a week before the second. */
const FIRST_SYNC = SECOND_SYNC - 7 * DAY;
/** The newest build the first sync sees (older builds are dated back from it). */
const NEWEST = FIRST_SYNC - 6 * HOUR;
if (!(NEWEST < FIRST_SYNC && FIRST_SYNC < REBUILT && REBUILT < SECOND_SYNC))
  throw new Error(
    'The sample clock is out of order: builds must come before the sync that sees them.',
  );

/** The release each channel follows in the sample: 44 is stable, 45 branched, Rawhide is 46. */
const CHANNELS: Record<string, string> = {
  latest: '44',
  stable: '44',
  'stable-daily': '44',
  testing: '44',
  'testing-devel': '44',
  gts: '43',
  next: '45',
  'next-devel': '45',
  beta: '45',
  unstable: '45',
  rawhide: RAWHIDE_VERSION,
  stream9: '9',
  stream10: '10',
};
/** Universal Blue's desktop images are rechunked after the build: their layers no longer share a prefix with the base. */
const RECHUNKED = /^ghcr\.io\/ublue-os\/(bluefin|bluefin-dx|aurora|bazzite|bazzite-gnome)$/;

function ymd(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}
function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/**
 * Make the i-th newest tag name for a pattern (same scheme as the real registries). Dated and
 * revision tags are weekly builds; version tags are a day apart.
 */
function instantiate(pattern: string, i: number, seed: string): { tag: string; created: number } {
  const dated = pattern.includes('<date>');
  const weekly = dated || pattern.includes('<sha>');
  const created = NEWEST - (weekly ? 7 * i : i) * DAY;
  let nth = 0;
  const tag = pattern.replace(/<([a-z]+)>/g, (_, name: string) => {
    switch (name) {
      case 'version':
        return dated ? '44' : String(Number(RAWHIDE_VERSION) - 1 - i);
      case 'major':
        return dated ? '44' : String(44 - i);
      case 'date':
        return ymd(created);
      case 'n':
        return nth++ === 0 ? (dated ? '3' : String(i + 1)) : '0';
      case 'arch':
        return 'x86_64';
      case 'sha':
        return hex(`${seed}:${i}`, 40);
      default:
        return `b${i}`;
    }
  });
  return { tag, created };
}

/** A tag to push: a build of its own, or a moving tag that shares another tag's build. */
type FixtureTag = { created: number; alias?: string };

/**
 * The tags to push for an image: exact stream tags and a few of each pattern. A channel shares the
 * build of its release's tag, which every channel whose release a pattern of the image matches
 * gets (base-images RELEASE.md, "Tags Applied": a Rawhide compose is tagged `<version>` and
 * `rawhide`, the stable release `<version>` and `latest`). In a repository tagged by revision,
 * `latest` is the newest revision.
 */
function fixtureTags(image: Image): Map<string, FixtureTag> {
  const tags = new Map<string, FixtureTag>();
  const streams = image.streams;
  const patterns = streams.flatMap((stream) => (stream.match ? [stream.match] : []));
  const matches = (tag: string) => patterns.some((pattern) => compileTagPattern(pattern).test(tag));
  const revisions = patterns.find((pattern) => pattern.includes('<sha>'));
  for (const pattern of patterns) {
    const re = compileTagPattern(pattern);
    for (let i = 0; i < Math.min(streams.find((s) => s.match === pattern)!.keep, 3); i++) {
      const { tag, created } = instantiate(pattern, i, image.ref);
      if (re.test(tag) && !tags.has(tag)) tags.set(tag, { created });
    }
  }
  for (const stream of streams) {
    for (const tag of stream.tags ?? []) {
      if (tags.has(tag)) continue;
      const created = NEWEST - (tag === 'rawhide' ? 0 : 1) * DAY;
      const release = CHANNELS[tag];
      if (tag === 'latest' && revisions) {
        tags.set(tag, { created, alias: instantiate(revisions, 0, image.ref).tag });
      } else if (release && release !== tag && matches(release)) {
        if (!tags.has(release)) tags.set(release, { created });
        tags.set(tag, { created: tags.get(release)!.created, alias: release });
      } else {
        tags.set(tag, { created });
      }
    }
  }
  return tags;
}

/** The release a tag stands for: its repository's (fedora-bootc-44-standard), its number, or its channel's. */
function releaseOf(ref: string, tag: string): string | undefined {
  const own = /-(\d{2}|rawhide)-[a-z]+$/.exec(ref)?.[1];
  if (own) return own === 'rawhide' ? RAWHIDE_VERSION : own;
  if (CHANNELS[tag]) return CHANNELS[tag];
  const m = /(?:^|[-.])(\d{2})(?:$|[-.])/.exec(tag) ?? /^(\d{2})(?:$|[-.])/.exec(tag);
  return m?.[1];
}

/**
 * Fedora CoreOS is built FROM the builder that fedora-coreos-config pins in build-args.conf
 * (`BUILDER_IMG=quay.io/bootc-devel/fedora-bootc-<rawhide|44>-standard`), whatever base the
 * catalog declares; the sample builds it there so that lineage by layers never confirms a base the
 * sources contradict.
 */
const FCOS = /^quay\.io\/(fedora|coreos-devel)\/fedora-coreos$/;
/** The development repository of a release's standard tier, e.g. quay.io/bootc-devel/fedora-bootc-44-standard. */
function standardBuilder(release: string): string {
  return `quay.io/bootc-devel/fedora-bootc-${release === RAWHIDE_VERSION ? 'rawhide' : release}-standard`;
}

/** New builds pushed between the two syncs: a tag rebuilt, and the tags moved to the new build. */
const REBUILDS: Array<{ ref: string; tag: string; aliases: string[] }> = [
  { ref: 'quay.io/fedora/fedora-bootc', tag: '44', aliases: ['latest'] },
  { ref: 'quay.io/fedora-ostree-desktops/silverblue', tag: '44', aliases: [] },
  { ref: 'quay.io/fedora-ostree-desktops/kinoite', tag: '44', aliases: [] },
  {
    ref: 'quay.io/bootc-devel/fedora-bootc-44-standard',
    tag: hex('quay.io/bootc-devel/fedora-bootc-44-standard:rebuild', 40),
    aliases: ['latest'],
  },
];

const catalog = await loadCatalog(values.catalog);
const images = catalogImages(catalog);
const byRef = new Map(images.map((image) => [image.ref, image]));

/** The repositories an image is built on in the sample: its sources' builders, else its declared base. */
function basesOf(image: Image): string[] {
  if (FCOS.test(image.ref))
    return images
      .map((i) => i.ref)
      .filter((ref) => /^quay\.io\/bootc-devel\/fedora-bootc-[a-z0-9]+-standard$/.test(ref));
  return image.basedOn && byRef.has(image.basedOn) ? [image.basedOn] : [];
}

const registry = await startRegistry();
const workDir = await mkdtemp(join(tmpdir(), 'imh-sample-'));
const cacheDir = join(workDir, 'cache');
// Sync into an empty snapshot: an earlier sample's histories must not leak into this one.
const workSnapshot = join(workDir, 'images.json');
try {
  const base = registry.url;
  /** Builds pushed per image ref and tag, so derived images can build on them. */
  const built = new Map<
    string,
    Map<string, { layers: Map<string, Layer[]>; created: number; release?: string }>
  >();
  const pushedTags = new Map<string, Map<string, Pushed>>();

  const labelsFor = (image: Image, version: string | undefined): Record<string, string> => {
    const labels: Record<string, string> = {};
    if (image.role !== 'tool') labels['containers.bootc'] = '1';
    if (version) labels['org.opencontainers.image.version'] = version;
    return labels;
  };

  /**
   * The base build a derived build starts from: a build of the same Fedora release that is no newer
   * than the derived one, under the same tag name when there is one, else the newest. Fedora CoreOS
   * builds on its release's builder; the others on their declared base.
   */
  const builderOf = (
    image: Image,
    tag: string,
    created: number,
  ): { ref: string; tag: string } | undefined => {
    const release = releaseOf(image.ref, tag);
    const ref = FCOS.test(image.ref) && release ? standardBuilder(release) : image.basedOn;
    const builds = ref ? built.get(ref) : undefined;
    if (!ref || !builds) return undefined;
    const eligible = [...builds]
      .filter(([, build]) => build.release === release && build.created <= created)
      .sort(
        ([a, x], [b, y]) =>
          Number(b === tag) - Number(a === tag) || y.created - x.created || compareVersions(b, a),
      );
    if (eligible.length === 0)
      throw new Error(
        `No build of ${ref} for Fedora ${release} is as old as ${image.ref}:${tag} (${new Date(created).toISOString()}); date the sample's base builds earlier.`,
      );
    return { ref, tag: eligible[0]![0] };
  };

  /** Push one build of a tag; `generation` changes the image's own layer (a rebuild). */
  async function pushTag(
    image: Image,
    tag: string,
    created: number,
    generation = 0,
  ): Promise<Pushed> {
    const { repository } = parseReference(image.ref);
    const platforms = image.platforms.length > 0 ? image.platforms : ['linux/amd64'];
    const release = releaseOf(image.ref, tag);
    const rechunked = RECHUNKED.test(image.ref);
    const builder = rechunked ? undefined : builderOf(image, tag, created);
    const specs: PlatformSpec[] = platforms.map((platform) => {
      const [os, architecture, variant] = platform.split('/') as [
        string,
        string,
        string | undefined,
      ];
      const own = [makeLayer(`${image.ref}:${tag}:${platform}:${generation}`)];
      let layers = own;
      if (builder) {
        const baseLayers = built.get(builder.ref)!.get(builder.tag)!.layers.get(platform);
        if (baseLayers) layers = [...baseLayers, ...own];
      } else if (!rechunked) {
        layers = [makeLayer(`${image.ref}:os:${release ?? tag}:${platform}:${generation}`), ...own];
      } else {
        // Rechunked: the same content regrouped into new layers.
        layers = [
          makeLayer(`${image.ref}:chunk1:${tag}:${platform}`),
          makeLayer(`${image.ref}:chunk2:${tag}:${platform}:${generation}`),
        ];
      }
      const spec: PlatformSpec = {
        os,
        architecture,
        layers,
        labels: labelsFor(image, release),
        created: new Date(created).toISOString(),
      };
      if (variant) spec.variant = variant;
      return spec;
    });
    const pushed = await pushImage(base, repository, tag, {
      platforms: specs,
      index: specs.length > 1,
    });
    const layers = new Map(platforms.map((p, i) => [p, specs[i]!.layers]));
    if (!built.has(image.ref)) built.set(image.ref, new Map());
    built.get(image.ref)!.set(tag, { layers, created, ...(release ? { release } : {}) });
    if (!pushedTags.has(image.ref)) pushedTags.set(image.ref, new Map());
    pushedTags.get(image.ref)!.set(tag, pushed);
    return pushed;
  }

  /** Point another tag at a tag's build, as a registry does for a moving tag. */
  async function alias(image: Image, from: string, to: string): Promise<void> {
    await retag(base, parseReference(image.ref).repository, from, to);
    built.get(image.ref)!.set(to, built.get(image.ref)!.get(from)!);
    pushedTags.get(image.ref)!.set(to, pushedTags.get(image.ref)!.get(from)!);
  }

  // Bases before the images built on them.
  const depth = (image: Image): number =>
    Math.max(0, ...basesOf(image).map((ref) => 1 + depth(byRef.get(ref)!)));
  let drifted = false;
  const ordered = [...images].sort((a, b) => depth(a) - depth(b) || a.ref.localeCompare(b.ref));
  for (const image of ordered) {
    const tags = [...fixtureTags(image)].sort(([a], [b]) => compareVersions(a, b));
    for (const [tag, { created, alias: target }] of tags)
      if (!target) await pushTag(image, tag, created);
    // Moving tags share another tag's build, as on the real registries.
    for (const [tag, { alias: target }] of tags) if (target) await alias(image, target, tag);
    const { repository } = parseReference(image.ref);
    if (image.signed) {
      for (const pushed of new Set([...pushedTags.get(image.ref)!.values()].map((p) => p.digest)))
        await pushSignatureTag(base, repository, pushed, 'sig');
    }
    // Mirrors serve the same bytes: copy every tag; drift one tag of the first mirror.
    for (const [m, mirror] of image.mirrors.entries()) {
      const mirrorRepo = parseReference(mirror).repository;
      const tagNames = [...pushedTags.get(image.ref)!.keys()].sort(compareVersions);
      for (const tag of tagNames) {
        await copyManifest(base, repository, mirrorRepo, tag);
      }
      if (m === 0 && !drifted && tagNames.includes('43')) {
        drifted = true;
        await pushImage(base, mirrorRepo, '43', {
          platforms: [
            {
              architecture: 'amd64',
              layers: [makeLayer(`${mirror}:43:stale`)],
              created: new Date(NEWEST - 30 * DAY).toISOString(),
            },
          ],
        });
      }
    }
  }

  const config = readRegistryConfig({
    ...process.env,
    IMAGE_MODE_REGISTRIES: [
      ...new Set(images.flatMap((i) => [i.ref, ...i.mirrors]).map((r) => parseReference(r).host)),
    ]
      .map((host) => `${host}=${base}`)
      .join(','),
  });
  const sample = {
    note: `Sample data: fixture images shaped like the real registries (same repository names and tag schemes), loaded into a local registry and synced on a sample clock (last sync ${new Date(SECOND_SYNC).toISOString().slice(0, 10)}). Digests, dates and sizes are not real. Run \`npm run sync\` to replace it with live data.`,
  };
  const log = (line: string) => {
    if (!line.startsWith('ok:')) console.log(line);
  };
  const sync = (at: number) =>
    runImagesStep({
      catalog,
      snapshot: workSnapshot,
      config,
      cacheDir,
      maxStaleDays: 7,
      log,
      sample,
      now: () => new Date(at),
    });
  const first = await sync(FIRST_SYNC);
  console.log(`first sync: ${first.summary}`);

  // New builds of some base tags before the second sync: the images built on the old builds are now behind.
  for (const rebuild of REBUILDS) {
    const image = byRef.get(rebuild.ref);
    if (!image || !built.has(rebuild.ref)) continue;
    await pushTag(image, rebuild.tag, REBUILT, 1);
    const moved = rebuild.aliases.filter((tag) => built.get(rebuild.ref)!.has(tag));
    for (const tag of moved) await alias(image, rebuild.tag, tag);
    const { repository } = parseReference(rebuild.ref);
    if (image.signed)
      await pushSignatureTag(
        base,
        repository,
        pushedTags.get(rebuild.ref)!.get(rebuild.tag)!.digest,
        'sig',
      );
    for (const mirror of image.mirrors) {
      for (const tag of [rebuild.tag, ...moved])
        await copyManifest(base, repository, parseReference(mirror).repository, tag);
    }
  }
  const second = await sync(SECOND_SYNC);
  console.log(`second sync: ${second.summary}`);
  const target = imagesFile(values.snapshot);
  // Written again rather than copied: image files that did not change keep their bytes and mtime.
  const written = await writeImagesSnapshot(target, second.snapshot);
  const size = second.snapshot.images.reduce(
    (sum, image) => sum + Buffer.byteLength(stringifySnapshot(image)),
    0,
  );
  const methods: Record<string, number> = {};
  for (const image of second.snapshot.images)
    for (const tag of image.tags)
      if (tag.basedOn) methods[tag.basedOn.method] = (methods[tag.basedOn.method] ?? 0) + 1;
  console.log(
    `${target}: ${second.snapshot.images.length} image files, ${(size / 1024).toFixed(0)} KiB (${written.written.length} written, ${written.removed.length} removed); lineage ${JSON.stringify(methods)}`,
  );
  if (!second.ok) process.exitCode = 1;
} finally {
  await registry.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** Copy a tag's manifest (and, for an index, its children) from one repository to another of the same registry. */
async function copyManifest(base: string, from: string, to: string, tag: string): Promise<void> {
  const accept =
    'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';
  const res = await fetch(`${base}/v2/${from}/manifests/${tag}`, { headers: { accept } });
  if (res.status !== 200) return;
  const type = res.headers.get('content-type')!;
  const bytes = new Uint8Array(await res.arrayBuffer());
  const body = JSON.parse(new TextDecoder().decode(bytes)) as {
    manifests?: Array<{ digest: string }>;
    config?: { digest: string };
    layers?: Array<{ digest: string }>;
  };
  for (const child of body.manifests ?? []) await copyByDigest(base, from, to, child.digest);
  for (const blob of [body.config, ...(body.layers ?? [])])
    if (blob) await mountBlob(base, from, to, blob.digest);
  const put = await fetch(`${base}/v2/${to}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body: Buffer.from(bytes),
  });
  if (put.status !== 201)
    throw new Error(`copy ${from}:${tag} to ${to}: ${put.status} ${await put.text()}`);
}

async function copyByDigest(base: string, from: string, to: string, digest: string): Promise<void> {
  await copyManifest(base, from, to, digest);
}

/** Mount a blob from another repository (cross-repository blob mount). */
async function mountBlob(base: string, from: string, to: string, digest: string): Promise<void> {
  const res = await fetch(`${base}/v2/${to}/blobs/uploads/?mount=${digest}&from=${from}`, {
    method: 'POST',
  });
  if (res.status !== 201 && res.status !== 202)
    throw new Error(`mount ${digest} into ${to}: ${res.status}`);
  await res.arrayBuffer();
}
