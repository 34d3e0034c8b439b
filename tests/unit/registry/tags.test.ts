import { describe, expect, it } from 'vitest';
import { compareVersions, splitTags } from '../../../src/registry/tags.ts';

describe('splitTags', () => {
  it('drops nulls and invalid names, splits signature tags by digest, and sorts in version order', () => {
    const hex = 'a'.repeat(64);
    const split = splitTags([
      'latest',
      null,
      '10',
      '9',
      'rawhide',
      `sha256-${hex}.sig`,
      `sha256-${hex}.att`,
      `sha256-${hex}`,
      'sha256:abc',
      '-bad',
      '44.20261110.3.0',
      '44.20260901.3.0',
    ]);
    expect(split.tags).toEqual([
      '9',
      '10',
      '44.20260901.3.0',
      '44.20261110.3.0',
      'latest',
      'rawhide',
    ]);
    expect(split.signatures.get(`sha256:${hex}`)).toEqual({
      sig: true,
      att: true,
      sbom: false,
      fallback: true,
    });
  });
});

describe('compareVersions', () => {
  it('orders numbers numerically and before words', () => {
    expect(['43', '100', '44', 'rawhide', '9'].sort(compareVersions)).toEqual([
      '9',
      '43',
      '44',
      '100',
      'rawhide',
    ]);
    expect(compareVersions('stable-44.1', 'stable-44.10')).toBeLessThan(0);
  });
});
