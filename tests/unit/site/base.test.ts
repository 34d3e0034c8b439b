import { describe, expect, it } from 'vitest';
import {
  cardPath,
  deliverablePath,
  handoverPath,
  imagePath,
  normalizeBase,
  personPath,
  sigPath,
  SITE_BASE,
  subprojectPath,
  withBase,
  writeAtomFeed,
} from '../../../src/site/index.ts';
import { readSiteConfig } from '../../../src/site-config.ts';

const BASE = '/image-mode-hub/';

describe('the base path', () => {
  it('is written with both slashes however IMAGE_MODE_BASE spells it, and is the root when unset', () => {
    expect(
      ['image-mode-hub', '/image-mode-hub', 'image-mode-hub/', ' /image-mode-hub// '].map(
        normalizeBase,
      ),
    ).toEqual(Array(4).fill(BASE));
    expect(normalizeBase('/a/b')).toBe('/a/b/');
    expect([undefined, '', '/', '//'].map(normalizeBase)).toEqual(['/', '/', '/', '/']);
    expect(readSiteConfig({ IMAGE_MODE_BASE: 'image-mode-hub' }).base).toBe(BASE);
    expect(readSiteConfig({}).base).toBe('/');
  });

  it('prefixes site paths only, never external, protocol-relative or relative addresses', () => {
    expect(withBase('/feeds/images.xml', BASE)).toBe('/image-mode-hub/feeds/images.xml');
    expect(withBase('/', BASE)).toBe(BASE);
    expect(withBase('https://quay.io/repository/fedora/fedora-bootc', BASE)).toBe(
      'https://quay.io/repository/fedora/fedora-bootc',
    );
    expect(withBase('//cdn.example.org/x.js', BASE)).toBe('//cdn.example.org/x.js');
    expect(withBase('#tags', BASE)).toBe('#tags');
    expect(withBase('/images/', '/')).toBe('/images/');
  });

  it('is the root in a build without a base (vitest, like astro build, sets BASE_URL)', () => {
    expect(SITE_BASE).toBe('/');
    expect(imagePath('quay.io/fedora/fedora-bootc')).toBe('/images/quay.io/fedora/fedora-bootc/');
  });
});

describe('site paths under a base', () => {
  it('carry the base on every page kind the site links to', () => {
    expect([
      sigPath('coreos-wg', BASE),
      subprojectPath('fedora-coreos', BASE),
      handoverPath('fedora-coreos', BASE),
      imagePath('quay.io/fedora/fedora-bootc:44', BASE),
      cardPath('quay.io/fedora/fedora-bootc', BASE),
      deliverablePath('fedora-coreos', 'image', BASE),
      personPath('github:CastroJo', BASE),
    ]).toEqual([
      '/image-mode-hub/owners/coreos-wg/',
      '/image-mode-hub/subprojects/fedora-coreos/',
      '/image-mode-hub/handover/fedora-coreos/',
      '/image-mode-hub/images/quay.io/fedora/fedora-bootc/',
      '/image-mode-hub/cards/quay.io/fedora/fedora-bootc/',
      '/image-mode-hub/subprojects/fedora-coreos/#deliverable-image',
      '/image-mode-hub/people/github/castrojo/',
    ]);
  });

  it('make absolute feed links without doubling a base that IMAGE_MODE_SITE already holds', () => {
    const feed = {
      path: withBase('/feeds/images.xml', BASE),
      alternate: withBase('/images/', BASE),
      title: 'New image builds',
      updated: '2026-11-28T12:00:00Z',
      entries: [
        {
          title: 'Fedora bootc: 44',
          id: 'urn:image-mode-hub:quay.io/fedora/fedora-bootc@sha256:1',
          link: imagePath('quay.io/fedora/fedora-bootc', BASE),
          updated: '2026-11-28T12:00:00Z',
          summary: 'A build.',
        },
      ],
    };
    const links = (site: string | undefined) =>
      [...writeAtomFeed(feed, site).matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    const expected = [
      'https://owner.github.io/image-mode-hub/feeds/images.xml',
      'https://owner.github.io/image-mode-hub/images/',
      'https://owner.github.io/image-mode-hub/images/quay.io/fedora/fedora-bootc/',
    ];
    expect(links('https://owner.github.io')).toEqual(expected);
    expect(links('https://owner.github.io/image-mode-hub/')).toEqual(expected);
    expect(links(undefined)).toEqual([
      '/image-mode-hub/feeds/images.xml',
      '/image-mode-hub/images/',
      '/image-mode-hub/images/quay.io/fedora/fedora-bootc/',
    ]);
  });
});
