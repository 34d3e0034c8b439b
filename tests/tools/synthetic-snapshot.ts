/**
 * `node tests/tools/synthetic-snapshot.ts --out DIR [--images 60] [--tags 20000] [--seed 1]`
 *
 * Write a synthetic catalog and snapshot of a given size, for build benchmarks
 * (`npm run bench:build`): DIR/catalog/ and DIR/snapshot/, ready for IMAGE_MODE_CATALOG and
 * IMAGE_MODE_SNAPSHOT.
 *
 * The catalog is the committed one (so every handover page's link still resolves) plus generated
 * subprojects of "remix" images, up to the number of images asked for. Every image gets a registry's
 * worth of tags in the shapes the real ones use: channels (latest, stable, testing), dated builds
 * (44.20261124.0), commit revisions (40 hex digits, the same build as a dated tag) and per-architecture
 * tags; the snapshot keeps what the sync's own stream selection (selectTags) keeps, so the committed
 * images hold their streams' `keep` and the generated ones hold the rest of the tags asked for. Each
 * build has 2-4 platforms with the labels bootc images carry, sizes, layers, signatures, lineage and
 * history. The output is deterministic for a seed, and checked against the catalog and snapshot
 * schemas before it is written.
 */
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import {
  canonicalRepository,
  compileTagPattern,
  formatProblems,
  loadCatalog,
  readCatalog,
  selectTags,
  type Image,
  type Stream,
  type Subproject,
} from '../../src/catalog/index.ts';
import {
  ImagesSnapshotSchema,
  SNAPSHOT_FILES,
  SNAPSHOT_SCHEMA_VERSION,
  type ImageSnapshot,
  type ImagesSnapshot,
  type PlatformSnapshot,
  type TagSnapshot,
} from '../../src/snapshot/index.ts';
import { writeImagesSnapshot } from '../../src/sync/images-writer.ts';

/** What to generate. */
export interface SyntheticOptions {
  /** Folder to write catalog/ and snapshot/ into. */
  out: string;
  /** Number of images in all, the committed catalog's included (at least as many as it has). */
  images: number;
  /** Number of tags in all, summed over every image of the snapshot. */
  tags: number;
  /** Seed of the pseudo-random choices. */
  seed?: number;
  /** The committed catalog and snapshot to start from. */
  catalogDir?: string;
  snapshotDir?: string;
}

/** What was written. */
export interface SyntheticData {
  catalogDir: string;
  snapshotDir: string;
  images: number;
  tags: number;
  /** Tags of the image with the most. */
  maxTagsPerImage: number;
  /** Size in bytes of the image files (snapshot/images/), all together. */
  imageBytes: number;
}

/** The moment the synthetic sync "ran". */
const GENERATED_AT = '2026-11-28T06:00:00.000Z';
const DAY_MS = 86_400_000;
const ARCHES = ['amd64', 'arm64', 'ppc64le', 's390x'] as const;
const KERNEL_ARCH: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};
/** Most tags one generated stream may keep (the catalog schema's limit for `keep`). */
const MAX_KEEP = 500;
const CHANNELS = ['latest', 'stable', 'testing'];
const FLAVORS = ['base', 'desktop', 'server', 'nvidia', 'dx', 'minimal'];

/** A small seeded pseudo-random generator (mulberry32), so that a seed gives the same data. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Derive a sha256 digest from a text, so digests are realistic and stable. */
function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Derive a 40-digit commit id from a text. */
function commitOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function isoDay(time: number): string {
  return new Date(time).toISOString();
}

function yyyymmdd(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * A candidate tag name for a stream pattern: the i-th one, newest first. Placeholders that can make
 * the name unique (date, n, sha) change with i; the others take a realistic fixed value.
 */
function fillPattern(pattern: string, i: number): string {
  const unique = /<(date|sha|any)>/.test(pattern);
  let nIndex = 0;
  return pattern.replace(/<(\w+)>/g, (_, name: string) => {
    switch (name) {
      case 'version':
      case 'major':
        return unique ? String(44 - Math.floor(i / 200)) : String(45 - i);
      case 'date':
        return yyyymmdd(Date.parse(GENERATED_AT) - Math.floor(i / 2) * DAY_MS);
      case 'n':
        return String(unique ? (nIndex++ === 0 ? i % 2 : 0) : i);
      case 'arch':
        return KERNEL_ARCH[ARCHES[i % ARCHES.length]!]!;
      case 'sha':
        return commitOf(`${pattern}:${i}`);
      default:
        return `build${i}`;
    }
  });
}

/** The names a registry would list for one stream: exact tags, and `count` names matching its pattern. */
function streamCandidates(stream: Stream, count: number): string[] {
  const names = [...(stream.tags ?? [])];
  if (stream.match === undefined) return names;
  const re = compileTagPattern(stream.match);
  const seen = new Set<string>();
  for (let i = 0; seen.size < count && i < count * 4 + 50; i++) {
    const name = fillPattern(stream.match, i);
    if (re.test(name)) seen.add(name);
  }
  return [...names, ...seen];
}

/** The pattern streams of a generated image, newest `keep` each, shares of `count` tags. */
const PATTERN_STREAMS = [
  { name: 'dated builds', match: '<major>.<date>.<n>', share: 0.4 },
  { name: 'revisions', match: '<sha>', share: 0.25 },
  { name: 'architecture builds', match: '<major>.<date>.<n>-<arch>', share: 0.2 },
  { name: 'pull request builds', match: 'on-pr-<sha>', share: 0.15 },
] as const;

/** Split `count` tags over the pattern streams, none keeping more than the schema allows. */
function splitStreams(ref: string, count: number): Stream[] {
  if (count > PATTERN_STREAMS.length * MAX_KEEP)
    throw new Error(
      `Image ${ref} would need ${count + CHANNELS.length} tags, more than its streams can keep (${CHANNELS.length + PATTERN_STREAMS.length * MAX_KEEP}); ask for more images or fewer tags.`,
    );
  const streams: Stream[] = [];
  let left = count;
  PATTERN_STREAMS.forEach((stream, index) => {
    const rest = PATTERN_STREAMS.length - index - 1;
    const wanted = rest === 0 ? left : Math.round(count * stream.share);
    const keep = Math.min(MAX_KEEP, Math.max(wanted, left - rest * MAX_KEEP), left);
    if (keep > 0) streams.push({ name: stream.name, match: stream.match, keep });
    left -= keep;
  });
  return streams;
}

/** The synthetic subprojects that bring the catalog to `count` images, five images each. */
function remixSubprojects(count: number, sigIds: string[], perImage: number[]): Subproject[] {
  const subprojects: Subproject[] = [];
  for (let start = 0; start < count; start += 5) {
    const number = String(subprojects.length + 1).padStart(2, '0');
    const id = `remix-${number}`;
    const sig = sigIds[subprojects.length % sigIds.length]!;
    const images: Image[] = [];
    for (let i = start; i < Math.min(count, start + 5); i++) {
      const flavor = FLAVORS[i % FLAVORS.length]!;
      const ref = `quay.io/bench-remix/${id}-${flavor}`;
      const streams: Stream[] = [
        { name: 'channels', tags: CHANNELS, keep: 10 },
        ...splitStreams(ref, perImage[i]! - CHANNELS.length),
      ];
      images.push({
        ref,
        role: i % 3 === 0 ? 'downstream' : 'variant',
        title: `Remix ${number} ${flavor}`,
        description: `A ${flavor} image of remix ${number}, generated for the build benchmark.`,
        basedOn: 'quay.io/fedora/fedora-bootc',
        mirrors: [],
        platforms: ARCHES.slice(0, 2 + (i % 3)).map((a) => `linux/${a}`),
        streams,
        signed: i % 4 !== 3,
      });
    }
    subprojects.push({
      id,
      name: `Remix ${number}`,
      summary: `Remix ${number} is a generated subproject of the build benchmark: ${images.length} images built on the Fedora bootc base image, with channels, dated builds, revisions, per-architecture and pull request tags.`,
      official: false,
      sigs: [sig],
      repos: [
        {
          url: `https://github.com/bench-remix/${id}`,
          role: 'source',
          description: 'Containerfiles of the remix.',
        },
      ],
      images,
      deliverables: images.map((image, index) => ({
        id: `${id}-image-${index + 1}`,
        title: `Image ${image.ref}`,
        kind: 'image' as const,
        image: image.ref,
        repo: `https://github.com/bench-remix/${id}`,
        owner: sig,
        state: 'owned' as const,
      })),
    });
  }
  return subprojects;
}

/** Write a subproject as the YAML people write, without the defaults they leave out. */
function subprojectYaml(subproject: Subproject): string {
  const written = {
    ...subproject,
    images: subproject.images.map(({ mirrors, streams, ...image }) => ({
      ...image,
      ...(mirrors.length > 0 ? { mirrors } : {}),
      streams: streams.map(({ keep, ...stream }) =>
        stream.match === undefined ? stream : { ...stream, keep },
      ),
    })),
  };
  return stringify(written, { lineWidth: 100, aliasDuplicateObjects: false });
}

/**
 * Split `total` into `count` parts of random weights between 0.5 and 1.5, none above `max`: what a
 * part cannot hold goes to the others. Throws when even equal parts would not fit.
 */
function splitTotal(total: number, count: number, max: number, random: () => number): number[] {
  if (count === 0) return [];
  if (total > count * max)
    throw new Error(
      `${total} tags do not fit in ${count} generated images of at most ${max} tags each; ask for more images or fewer tags.`,
    );
  const weights = Array.from({ length: count }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((weight) => Math.min(max, Math.floor((total * weight) / sum)));
  let left = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % count)
    if (parts[i]! < max) {
      parts[i]!++;
      left--;
    }
  return parts;
}

/** Generate the snapshot record of one image: every candidate tag, as the sync's selection keeps them. */
function imageRecord(
  image: Image,
  candidates: string[],
  random: () => number,
  status: 'live' | 'stale',
): ImageSnapshot {
  const selection = selectTags(image.streams, candidates);
  const names = [...selection.keys()];
  const declared = image.platforms
    .map((platform) => platform.split('/')[1]!)
    .filter((arch) => (ARCHES as readonly string[]).includes(arch));
  const arches = declared.length >= 2 ? declared : ARCHES.slice(0, 2 + Math.floor(random() * 3));
  const signed = image.signed ?? random() < 0.7;
  const konflux = random() < 0.5;
  const now = Date.parse(GENERATED_AT);
  const ref = canonicalRepository(image.ref);

  // One build per dated or other tag, newest last (names are in version order); revisions share the
  // digest of the dated build of the same rank, channels point at the newest and older builds.
  const builds: { digest: string; created: number; platforms: PlatformSnapshot[] }[] = [];
  const buildFor = (key: string, age: number, only?: string) => {
    const created = now - age * DAY_MS - Math.floor(random() * 6) * 3_600_000;
    const version = `44.${yyyymmdd(created)}.0`;
    const platforms = (only ? [only] : arches).map((architecture): PlatformSnapshot => ({
      os: 'linux',
      architecture,
      digest: digestOf(`${ref}:${key}:${architecture}`),
      created: isoDay(created),
      labels: {
        'containers.bootc': '1',
        'org.opencontainers.image.created': isoDay(created),
        'org.opencontainers.image.description': image.description ?? `${ref} built for bootc`,
        'org.opencontainers.image.licenses': 'MIT',
        'org.opencontainers.image.revision': commitOf(`${ref}:${key}`),
        'org.opencontainers.image.source': `https://github.com/bench-remix/${ref.split('/').pop()}`,
        'org.opencontainers.image.title': image.title ?? ref,
        'org.opencontainers.image.version': version,
        'ostree.bootable': '1',
        'ostree.linux': `6.17.${8 + (age % 5)}-300.fc44.${KERNEL_ARCH[architecture]}`,
        'redhat.id': 'fedora',
        'redhat.version-id': '44',
        'rpm-ostree.inputhash': createHash('sha256').update(`${ref}:${key}:in`).digest('hex'),
      },
      size: 700_000_000 + Math.floor(random() * 1_100_000_000),
      layers: 40 + Math.floor(random() * 30),
    }));
    const build = { digest: digestOf(`${ref}:${key}:index`), created, platforms };
    builds.push(build);
    return build;
  };

  const revisionNames = names.filter((name) => /^[0-9a-f]{40}$/.test(name));
  const pullRequestNames = names.filter((name) => name.startsWith('on-pr-'));
  const datedNames = names.filter(
    (name) =>
      !revisionNames.includes(name) && !pullRequestNames.includes(name) && /\d{8}/.test(name),
  );
  const byName = new Map<string, ReturnType<typeof buildFor>>();
  datedNames.forEach((name, index) => {
    const arch = ARCHES.find((a) => name.endsWith(`-${KERNEL_ARCH[a]}`));
    byName.set(name, buildFor(name, datedNames.length - index, arch));
  });
  const multiArch = builds.filter((build) => build.platforms.length > 1);
  revisionNames.forEach((name, index) => {
    byName.set(name, multiArch[multiArch.length - 1 - index] ?? buildFor(name, index));
  });
  // Pull request builds are builds of their own, never released under another tag.
  pullRequestNames.forEach((name, index) => byName.set(name, buildFor(name, index % 30)));
  // Channels (latest, stable, 44, rawhide...) point at one of the three newest builds and have moved
  // over the older ones before.
  const channels = names.filter((name) => !byName.has(name));
  channels.forEach((name, index) => {
    const rank = index % 3;
    byName.set(name, multiArch[multiArch.length - 1 - rank] ?? buildFor(name, rank));
  });

  const tags = names.map((name): TagSnapshot => {
    const build = byName.get(name)!;
    const single = build.platforms.length === 1;
    const position = multiArch.indexOf(build);
    const moved = channels.includes(name) && position > 0;
    const history = [
      build,
      ...(moved ? multiArch.slice(Math.max(0, position - 2), position).reverse() : []),
    ].map((entry) => ({
      digest: entry.digest,
      created: isoDay(entry.created),
      seenAt: isoDay(entry.created + 3_600_000),
    }));
    const tag: TagSnapshot = {
      name,
      digest: single ? build.platforms[0]!.digest : build.digest,
      mediaType: single
        ? 'application/vnd.oci.image.manifest.v1+json'
        : 'application/vnd.oci.image.index.v1+json',
      streams: selection.get(name)!,
      platforms: build.platforms,
      signatures: {
        cosign: signed,
        attestation: signed && konflux,
        sbom: konflux,
        referrers: konflux
          ? [
              {
                artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
                digest: digestOf(`${build.digest}:bundle`),
              },
            ]
          : [],
      },
      history,
    };
    if (image.basedOn) {
      const behind = Math.floor(random() * 4);
      tag.basedOn = {
        ref: `${canonicalRepository(image.basedOn)}:44`,
        digest: digestOf(`${image.basedOn}:44:${Math.floor(build.created / DAY_MS)}`),
        method: 'layers',
        verified: true,
        ...(behind > 0 ? { behind: { days: behind * 2, builds: behind } } : {}),
      };
    }
    return tag;
  });

  const record: ImageSnapshot = {
    ref,
    status,
    fetchedAt: status === 'live' ? GENERATED_AT : isoDay(now - 2 * DAY_MS),
    tagCount: candidates.length,
    tags,
    mirrors: image.mirrors.map((mirror) => ({
      ref: canonicalRepository(mirror),
      status: 'live' as const,
      fetchedAt: GENERATED_AT,
      drift: [],
      missing: names.slice(0, Math.floor(names.length / 10)),
      matching: names.slice(Math.floor(names.length / 10)),
    })),
  };
  if (status === 'stale')
    record.error = `Could not list tags of ${ref}: 503 Service Unavailable after 5 tries. Keeping the data fetched ${record.fetchedAt} (stale).`;
  return record;
}

/** Write a synthetic catalog and snapshot of the size asked for; return where and how big. */
export async function writeSyntheticData(options: SyntheticOptions): Promise<SyntheticData> {
  const catalogSource = options.catalogDir ?? 'content/catalog';
  const snapshotSource = options.snapshotDir ?? 'content/snapshot';
  const random = createRandom(options.seed ?? 1);
  const committed = await loadCatalog(catalogSource);
  const committedImages = committed.subprojects.flatMap((subproject) => subproject.images);
  if (options.images < committedImages.length)
    throw new Error(
      `--images ${options.images} is fewer than the ${committedImages.length} images of ${catalogSource}; ask for at least that many.`,
    );

  // The committed images: their streams filled to `keep`, with older tags the selection drops.
  const committedCandidates = committedImages.map((image) =>
    [
      ...new Set(image.streams.flatMap((stream) => streamCandidates(stream, stream.keep + 3))),
    ].sort(),
  );
  const committedTags = committedImages.reduce(
    (sum, image, index) => sum + selectTags(image.streams, committedCandidates[index]!).size,
    0,
  );
  const remixCount = options.images - committedImages.length;
  const remixTags = options.tags - committedTags;
  if (remixCount === 0 ? remixTags !== 0 : remixTags < remixCount * CHANNELS.length)
    throw new Error(
      `The committed images hold ${committedTags} tags; ${options.tags} tags over ${options.images} images cannot be generated. Ask for more tags or images.`,
    );
  const perImage = splitTotal(
    remixTags,
    remixCount,
    CHANNELS.length + PATTERN_STREAMS.length * MAX_KEEP,
    random,
  );
  const sigIds = committed.sigs.map((sig) => sig.id);
  const remixes = remixSubprojects(remixCount, sigIds, perImage);

  const catalogDir = join(options.out, 'catalog');
  const snapshotDir = join(options.out, 'snapshot');
  await cp(catalogSource, catalogDir, { recursive: true });
  await mkdir(snapshotDir, { recursive: true });
  for (const subproject of remixes)
    await writeFile(
      join(catalogDir, 'subprojects', `${subproject.id}.yaml`),
      subprojectYaml(subproject),
    );
  const { catalog, problems } = await readCatalog(catalogDir);
  if (!catalog)
    throw new Error(
      `The generated catalog in ${catalogDir} is invalid:\n${formatProblems(problems)}`,
    );

  const records: ImageSnapshot[] = [];
  let index = 0;
  for (const subproject of catalog.subprojects)
    for (const image of subproject.images) {
      const committedAt = committedImages.findIndex(
        (other) => canonicalRepository(other.ref) === canonicalRepository(image.ref),
      );
      const candidates =
        committedAt >= 0
          ? committedCandidates[committedAt]!
          : [
              ...new Set(
                image.streams.flatMap((stream) => streamCandidates(stream, stream.keep + 5)),
              ),
            ].sort();
      records.push(imageRecord(image, candidates, random, index++ % 20 === 19 ? 'stale' : 'live'));
    }
  const snapshot: ImagesSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: GENERATED_AT,
    sample: true,
    sampleNote: `Synthetic benchmark data: ${records.length} images, generated by tests/tools/synthetic-snapshot.ts. Digests, dates and sizes are not real.`,
    images: records.sort((a, b) => a.ref.localeCompare(b.ref)),
  };
  const checked = ImagesSnapshotSchema.safeParse(snapshot);
  if (!checked.success)
    throw new Error(
      `The generated snapshot does not match the snapshot schema: ${checked.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}`,
    );
  const { bytes } = await writeImagesSnapshot(join(snapshotDir, SNAPSHOT_FILES.images), snapshot);
  for (const part of ['repos', 'audit'] as const)
    await copyFile(
      join(snapshotSource, SNAPSHOT_FILES[part]),
      join(snapshotDir, SNAPSHOT_FILES[part]),
    );

  const counts = records.map((record) => record.tags.length);
  return {
    catalogDir,
    snapshotDir,
    images: records.length,
    tags: counts.reduce((a, b) => a + b, 0),
    maxTagsPerImage: Math.max(...counts),
    imageBytes: bytes,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      images: { type: 'string', default: '60' },
      tags: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.out) {
    console.error(
      'Usage: node tests/tools/synthetic-snapshot.ts --out DIR [--images 60] [--tags 20000] [--seed 1]',
    );
    process.exit(2);
  }
  const data = await writeSyntheticData({
    out: values.out,
    images: Number(values.images),
    tags: Number(values.tags),
    seed: Number(values.seed),
  });
  console.log(
    `Wrote ${data.images} images with ${data.tags} tags (at most ${data.maxTagsPerImage} on one image):\n  IMAGE_MODE_CATALOG=${data.catalogDir}\n  IMAGE_MODE_SNAPSHOT=${data.snapshotDir}`,
  );
}
