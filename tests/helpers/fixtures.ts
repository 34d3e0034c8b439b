/**
 * The images the integration tests push: a multi-arch OCI index with an attestation entry, a
 * Docker schema 2 image, a derived image sharing its base's layers, a rechunked image with base
 * annotations, a rechunked one without, a mirror with one drifted and one missing tag, and
 * signature tags.
 */
import { makeLayer, pushImage, pushSignatureTag, retag, type Pushed } from './registry.ts';

export interface TestImages {
  bootc44: Pushed;
  bootc43: Pushed;
  coreosStable: Pushed;
  silverblue44: Pushed;
  bluefin44: Pushed;
  aurora44: Pushed;
}

const bootcLabels = {
  'containers.bootc': '1',
  'org.opencontainers.image.version': '44',
  'org.opencontainers.image.title': 'Fedora bootc',
};

/** Push the test images to a registry (plain HTTP, no auth). */
export async function pushTestImages(base: string): Promise<TestImages> {
  const l = (seed: string) => makeLayer(seed);
  const bootc44 = await pushImage(base, 'fedora/fedora-bootc', '44', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('f44-a1'), l('f44-a2')],
        labels: bootcLabels,
        created: '2026-11-20T04:00:00Z',
      },
      {
        architecture: 'arm64',
        variant: 'v8',
        layers: [l('f44-b1'), l('f44-b2')],
        labels: bootcLabels,
        created: '2026-11-20T04:10:00Z',
      },
    ],
    attestation: true,
  });
  await retag(base, 'fedora/fedora-bootc', '44', 'latest');
  const bootc43 = await pushImage(base, 'fedora/fedora-bootc', '43', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('f43-a1')],
        labels: { ...bootcLabels, 'org.opencontainers.image.version': '43' },
        created: '2026-11-01T00:00:00Z',
      },
      {
        architecture: 'arm64',
        layers: [l('f43-b1')],
        labels: { ...bootcLabels, 'org.opencontainers.image.version': '43' },
        created: '1970-01-01T00:00:00Z',
      },
    ],
  });
  await pushImage(base, 'fedora/fedora-bootc', 'rawhide', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('raw-a1')],
        labels: bootcLabels,
        created: '2026-11-25T00:00:00Z',
      },
    ],
  });
  await pushSignatureTag(base, 'fedora/fedora-bootc', bootc44.digest, 'sig');
  await pushSignatureTag(base, 'fedora/fedora-bootc', bootc44.digest, 'att');

  const coreosStable = await pushImage(base, 'fedora/fedora-coreos', 'stable', {
    docker: true,
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('fcos-1'), l('fcos-2')],
        labels: { 'containers.bootc': '1', 'org.opencontainers.image.version': '43.20261110.3.0' },
        created: '2026-11-10T00:00:00Z',
      },
    ],
  });
  await retag(base, 'fedora/fedora-coreos', 'stable', '43.20261110.3.0');
  await pushImage(base, 'fedora/fedora-coreos', 'testing', {
    docker: true,
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('fcos-1'), l('fcos-3')],
        labels: { 'containers.bootc': '1' },
        created: '2026-11-12T00:00:00Z',
      },
    ],
  });

  // Derived: the base's layers, then its own.
  const silverblue44 = await pushImage(base, 'fedora/fedora-silverblue', '44', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('f44-a1'), l('f44-a2'), l('sb-a')],
        labels: { ...bootcLabels, 'org.opencontainers.image.title': 'Silverblue' },
        created: '2026-11-21T00:00:00Z',
      },
      {
        architecture: 'arm64',
        variant: 'v8',
        layers: [l('f44-b1'), l('f44-b2'), l('sb-b')],
        labels: bootcLabels,
        created: '2026-11-21T00:00:00Z',
      },
    ],
  });
  // Rechunked, with base annotations.
  const bluefin44 = await pushImage(base, 'ublue-os/bluefin', '44', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('bf-chunk-1'), l('bf-chunk-2')],
        labels: bootcLabels,
        created: '2026-11-22T00:00:00Z',
      },
    ],
    index: true,
    annotations: {
      'org.opencontainers.image.base.name': 'quay.io/fedora/fedora-bootc:44',
      'org.opencontainers.image.base.digest': bootc44.digest,
    },
  });
  // Rechunked, nothing to go by.
  const aurora44 = await pushImage(base, 'ublue-os/aurora', '44', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('au-chunk-1')],
        labels: bootcLabels,
        created: '2026-11-22T00:00:00Z',
      },
    ],
  });

  // Mirror: 44 the same, 43 drifted, latest missing.
  await pushImage(base, 'fedora-bootc', '44', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('f44-a1'), l('f44-a2')],
        labels: bootcLabels,
        created: '2026-11-20T04:00:00Z',
      },
      {
        architecture: 'arm64',
        variant: 'v8',
        layers: [l('f44-b1'), l('f44-b2')],
        labels: bootcLabels,
        created: '2026-11-20T04:10:00Z',
      },
    ],
    attestation: true,
  });
  await pushImage(base, 'fedora-bootc', '43', {
    platforms: [{ architecture: 'amd64', layers: [l('f43-old')], created: '2026-10-01T00:00:00Z' }],
  });
  await pushImage(base, 'fedora-bootc', 'rawhide', {
    platforms: [
      {
        architecture: 'amd64',
        layers: [l('raw-a1')],
        labels: bootcLabels,
        created: '2026-11-25T00:00:00Z',
      },
    ],
  });

  return { bootc44, bootc43, coreosStable, silverblue44, bluefin44, aurora44 };
}

/** The catalog images matching {@link pushTestImages}. */
export const testCatalogImages = [
  {
    ref: 'quay.io/fedora/fedora-bootc',
    role: 'base',
    mirrors: ['registry.fedoraproject.org/fedora-bootc'],
    streams: [
      { name: 'releases', match: '<version>', keep: 5 },
      { name: 'latest', tags: ['latest'] },
    ],
  },
  {
    ref: 'quay.io/fedora/fedora-coreos',
    role: 'variant',
    streams: [
      { name: 'streams', tags: ['stable', 'testing', 'next'] },
      { name: 'versions', match: '<major>.<date>.<n>.<n>', keep: 3 },
    ],
  },
  {
    ref: 'quay.io/fedora/fedora-silverblue',
    role: 'variant',
    basedOn: 'quay.io/fedora/fedora-bootc',
    streams: [{ name: 'releases', match: '<version>' }],
  },
  {
    ref: 'ghcr.io/ublue-os/bluefin',
    role: 'downstream',
    basedOn: 'quay.io/fedora/fedora-bootc',
    streams: [{ name: 'releases', match: '<version>' }],
  },
  {
    ref: 'ghcr.io/ublue-os/aurora',
    role: 'downstream',
    basedOn: 'quay.io/fedora/fedora-bootc',
    streams: [{ name: 'releases', match: '<version>' }],
  },
];
