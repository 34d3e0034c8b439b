/**
 * `npm run snapshot:sample`: build the committed sample snapshot (content/snapshot/images.json).
 *
 * Nothing here reaches quay.io or ghcr.io, so this loads a local docker-registry with fixture images
 * shaped like the real catalog (the same repository names and tag schemes), points every registry
 * host at it with IMAGE_MODE_REGISTRIES, and runs the real sync twice: once, then again after new
 * builds of some base tags, so that lineage can say how far behind derived images are. Derived
 * images really share their base's layers (lineage `layers`); Universal Blue's rechunked images do
 * not, and fall through to `declared`. One mirror tag drifts. Signed images get cosign tags.
 *
 *   npm run snapshot:sample -- [--catalog DIR] [--snapshot DIR|FILE]
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog, DEFAULT_CATALOG_DIR } from '../../src/catalog/load.ts';
import { catalogImages } from '../../src/catalog/model.ts';
import { imagesFile, runImagesStep } from '../../src/sync/images-step.ts';
import type { Image, Stream } from '../../src/catalog/schema.ts';
import { compileTagPattern } from '../../src/catalog/tag-pattern.ts';
import { DEFAULT_SNAPSHOT_DIR } from '../../src/snapshot/io.ts';
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

const { values } = parseArgs({
  options: {
    catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
    snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
  },
});

/** The day the fixture builds are dated from (newest build). */
const NEWEST = Date.UTC(2026, 10, 24);
const DAY = 86_400_000;
/** Fedora releases in the sample: 44 is stable, 45 branched, rawhide is 46. */
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
  rawhide: 'rawhide',
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

/** Make the i-th newest tag name for a pattern (same scheme as the real registries). */
function instantiate(pattern: string, i: number, seed: string): { tag: string; created: number } {
  const dated = pattern.includes('<date>');
  const created = NEWEST - (dated ? 7 * i : i) * DAY;
  let nth = 0;
  const tag = pattern.replace(/<([a-z]+)>/g, (_, name: string) => {
    switch (name) {
      case 'version':
        return dated ? '44' : String(45 - i);
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

/** The tags to push for an image: exact stream tags, and a few of each pattern. */
function fixtureTags(image: Image): Map<string, number> {
  const tags = new Map<string, number>();
  for (const stream of image.streams as Stream[]) {
    for (const tag of stream.tags ?? []) tags.set(tag, NEWEST - (tag === 'rawhide' ? 0 : 1) * DAY);
    if (stream.match) {
      const re = compileTagPattern(stream.match);
      for (let i = 0; i < Math.min(stream.keep, 3); i++) {
        const { tag, created } = instantiate(stream.match, i, image.ref);
        if (re.test(tag) && !tags.has(tag)) tags.set(tag, created);
      }
    }
  }
  return tags;
}

/** The release a tag stands for: its number, or the channel's. */
function releaseOf(tag: string): string | undefined {
  if (CHANNELS[tag]) return CHANNELS[tag];
  const m = /(?:^|[-.])(\d{2})(?:$|[-.])/.exec(tag) ?? /^(\d{2})/.exec(tag);
  return m?.[1];
}

const catalog = await loadCatalog(values.catalog);
const images = catalogImages(catalog);
const byRef = new Map(images.map((image) => [image.ref, image]));
const registry = await startRegistry();
const cacheDir = await mkdtemp(join(tmpdir(), 'imh-sample-cache-'));
try {
  const base = registry.url;
  /** Layers pushed per image ref, tag and platform, so derived images can build on them. */
  const built = new Map<string, Map<string, Map<string, Layer[]>>>();
  const pushedTags = new Map<string, Map<string, Pushed>>();

  const labelsFor = (image: Image, version: string | undefined): Record<string, string> => {
    const labels: Record<string, string> = {};
    if (image.role !== 'tool') labels['containers.bootc'] = '1';
    if (version) labels['org.opencontainers.image.version'] = version;
    return labels;
  };

  /** Pick the base tag a derived tag is built from. */
  const baseTagFor = (baseRef: string, tag: string): string | undefined => {
    const tags = built.get(baseRef);
    if (!tags) return undefined;
    if (tags.has(tag)) return tag;
    const release = releaseOf(tag);
    if (release && tags.has(release)) return release;
    return tags.has('latest') ? 'latest' : [...tags.keys()].sort(compareVersions).at(-1);
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
    const baseTag = image.basedOn ? baseTagFor(image.basedOn, tag) : undefined;
    const specs: PlatformSpec[] = platforms.map((platform) => {
      const [os, architecture, variant] = platform.split('/') as [
        string,
        string,
        string | undefined,
      ];
      const own = [makeLayer(`${image.ref}:${tag}:${platform}:${generation}`)];
      let layers = own;
      if (image.basedOn && baseTag && !RECHUNKED.test(image.ref)) {
        const baseLayers = built.get(image.basedOn)?.get(baseTag)?.get(platform);
        if (baseLayers) layers = [...baseLayers, ...own];
      } else if (!image.basedOn) {
        layers = [
          makeLayer(`${image.ref}:os:${releaseOf(tag) ?? tag}:${platform}:${generation}`),
          ...own,
        ];
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
        labels: labelsFor(image, releaseOf(tag)),
        created: new Date(created).toISOString(),
      };
      if (variant) spec.variant = variant;
      return spec;
    });
    const pushed = await pushImage(base, repository, tag, {
      platforms: specs,
      index: specs.length > 1,
    });
    const layersByPlatform = new Map(platforms.map((p, i) => [p, specs[i]!.layers]));
    if (!built.has(image.ref)) built.set(image.ref, new Map());
    built.get(image.ref)!.set(tag, layersByPlatform);
    if (!pushedTags.has(image.ref)) pushedTags.set(image.ref, new Map());
    pushedTags.get(image.ref)!.set(tag, pushed);
    return pushed;
  }

  // Bases before the images built on them.
  const depth = (image: Image): number =>
    image.basedOn && byRef.get(image.basedOn) ? 1 + depth(byRef.get(image.basedOn)!) : 0;
  let drifted = false;
  const ordered = [...images].sort((a, b) => depth(a) - depth(b) || a.ref.localeCompare(b.ref));
  for (const image of ordered) {
    const tags = fixtureTags(image);
    const aliases: Array<[string, string]> = [];
    for (const [tag, created] of [...tags.entries()].sort(([a], [b]) => compareVersions(a, b))) {
      // Channels that point at a release tag share its build, as on the real registries.
      const release = CHANNELS[tag];
      if (release && release !== tag && tags.has(release)) {
        aliases.push([release, tag]);
        continue;
      }
      await pushTag(image, tag, created);
    }
    const { repository } = parseReference(image.ref);
    for (const [from, to] of aliases) {
      await retag(base, repository, from, to);
      built.get(image.ref)!.set(to, built.get(image.ref)!.get(from)!);
      pushedTags.get(image.ref)!.set(to, pushedTags.get(image.ref)!.get(from)!);
    }
    if (image.signed) {
      for (const pushed of new Set([...pushedTags.get(image.ref)!.values()].map((p) => p.digest)))
        await pushSignatureTag(base, repository, pushed, 'sig');
    }
    // Mirrors serve the same bytes: copy every tag; drift one tag of the first mirror.
    for (const [m, mirror] of image.mirrors.entries()) {
      const mirrorRepo = parseReference(mirror).repository;
      const { repository: source } = parseReference(image.ref);
      const tagNames = [...pushedTags.get(image.ref)!.keys()].sort(compareVersions);
      for (const tag of tagNames) {
        await copyManifest(base, source, mirrorRepo, tag);
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
  const note = (when: string) =>
    `Sample data: fixture images shaped like the real registries (same repository names and tag schemes), loaded into a local registry and synced on ${when}. Digests, dates and sizes are not real. Run \`npm run sync\` to replace it with live data.`;
  const log = (line: string) => {
    if (!line.startsWith('ok:')) console.log(line);
  };
  const first = await runImagesStep({
    catalog,
    snapshot: values.snapshot,
    config,
    cacheDir,
    maxStaleDays: 7,
    log,
    sample: { note: note(new Date().toISOString().slice(0, 10)) },
    now: () => new Date(NEWEST - DAY),
  });
  console.log(`first sync: ${first.summary}`);

  // New builds of some base tags, a week later: the images built on the old builds are now behind.
  for (const ref of [
    'quay.io/fedora/fedora-bootc',
    'quay.io/fedora-ostree-desktops/silverblue',
    'quay.io/fedora-ostree-desktops/kinoite',
  ]) {
    const image = byRef.get(ref);
    if (!image || !built.get(ref)?.has('44')) continue;
    await pushTag(image, '44', NEWEST + 6 * DAY, 1);
    if (built.get(ref)!.has('latest'))
      await retag(base, parseReference(ref).repository, '44', 'latest');
    if (image.signed)
      await pushSignatureTag(
        base,
        parseReference(ref).repository,
        pushedTags.get(ref)!.get('44')!.digest,
        'sig',
      );
    for (const mirror of image.mirrors) {
      await copyManifest(
        base,
        parseReference(ref).repository,
        parseReference(mirror).repository,
        '44',
      );
      await copyManifest(
        base,
        parseReference(ref).repository,
        parseReference(mirror).repository,
        'latest',
      );
    }
  }
  const second = await runImagesStep({
    catalog,
    snapshot: values.snapshot,
    config,
    cacheDir,
    maxStaleDays: 7,
    log,
    sample: { note: note(new Date().toISOString().slice(0, 10)) },
  });
  console.log(`second sync: ${second.summary}`);
  const size = (await stat(imagesFile(values.snapshot))).size;
  const methods: Record<string, number> = {};
  for (const image of second.snapshot.images)
    for (const tag of image.tags)
      if (tag.basedOn) methods[tag.basedOn.method] = (methods[tag.basedOn.method] ?? 0) + 1;
  console.log(
    `${imagesFile(values.snapshot)}: ${(size / 1024).toFixed(0)} KiB; lineage ${JSON.stringify(methods)}`,
  );
  if (!second.ok) process.exitCode = 1;
} finally {
  await registry.stop();
  await rm(cacheDir, { recursive: true, force: true });
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
