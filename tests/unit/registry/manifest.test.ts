import { describe, expect, it } from 'vitest';
import {
  digestOf,
  normaliseCreated,
  parseConfig,
  parseManifest,
} from '../../../src/registry/manifest.ts';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('parseManifest', () => {
  it('duck-types an OCI manifest without mediaType (as skopeo pushes it)', () => {
    const m = parseManifest(
      enc({
        schemaVersion: 2,
        config: { digest: 'sha256:1', size: 2 },
        layers: [{ digest: 'sha256:2', size: 5 }],
      }),
      null,
      'm',
    );
    expect(m).toMatchObject({
      kind: 'image',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
  });
  it('reads an index and its platforms', () => {
    const m = parseManifest(
      enc({
        manifests: [
          {
            digest: 'sha256:1',
            size: 1,
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
        ],
      }),
      'application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8',
      'm',
    );
    expect(m).toMatchObject({
      kind: 'index',
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    });
  });
  it('recognises schema 1 as legacy and names unknown shapes', () => {
    expect(parseManifest(enc({ schemaVersion: 1 }), null, 'm').kind).toBe('legacy');
    expect(() =>
      parseManifest(enc({ mediaType: 'application/x-foo' }), null, 'The manifest x'),
    ).toThrow(
      'The manifest x has media type "application/x-foo", which is neither an index nor an image manifest.',
    );
  });
});

describe('parseManifest leniency and errors', () => {
  it('ignores unknown fields and defaults missing or mistyped optional ones', () => {
    const m = parseManifest(
      enc({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        'x-vendor': { anything: true },
        annotations: { 'org.opencontainers.image.version': '44', count: 3 },
        manifests: [
          {
            digest: 'sha256:1',
            size: 'big',
            platform: { os: 'linux', architecture: 'arm64', variant: '' },
            annotations: null,
          },
          { digest: 'sha256:2', mediaType: 7, platform: { os: 'linux' } },
        ],
      }),
      null,
      'm',
    );
    expect(m).toEqual({
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      annotations: { 'org.opencontainers.image.version': '44' },
      manifests: [
        {
          mediaType: '',
          digest: 'sha256:1',
          size: 0,
          platform: { os: 'linux', architecture: 'arm64' },
        },
        { mediaType: '', digest: 'sha256:2', size: 0 },
      ],
    });
  });

  it('names the descriptor without a digest, and says when the body is not a JSON object', () => {
    expect(() =>
      parseManifest(
        enc({ manifests: [{ digest: 'sha256:1', size: 1 }, { size: 1 }] }),
        null,
        'The manifest x',
      ),
    ).toThrow('The manifest x manifests[1] is not a descriptor (no digest).');
    expect(() =>
      parseManifest(enc({ config: { size: 1 }, layers: [] }), null, 'The manifest x'),
    ).toThrow('The manifest x config is not a descriptor (no digest).');
    expect(() => parseManifest(enc(null), null, 'The manifest x')).toThrow(
      'The manifest x is not a JSON object.',
    );
    expect(() => parseManifest(new TextEncoder().encode('{"sch'), null, 'The manifest x')).toThrow(
      'The manifest x is not JSON.',
    );
  });
});

describe('configs', () => {
  it('treats 1970 and year 1 as unknown build times', () => {
    expect(normaliseCreated('1970-01-01T00:00:00Z')).toBeNull();
    expect(normaliseCreated('0001-01-01T00:00:00Z')).toBeNull();
    expect(normaliseCreated('2026-11-20T04:00:00.123456789Z')).toBe('2026-11-20T04:00:00.123Z');
  });
  it('reads labels sorted, platform and diff_ids; null labels are none', () => {
    const c = parseConfig(
      enc({
        os: 'linux',
        architecture: 'arm64',
        variant: 'v8',
        config: { Labels: { b: '2', a: '1' } },
        rootfs: { diff_ids: ['sha256:x'] },
      }),
      'c',
    );
    expect(Object.keys(c.labels)).toEqual(['a', 'b']);
    expect(c).toMatchObject({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      diffIds: ['sha256:x'],
      created: null,
    });
    expect(parseConfig(enc({ config: { Labels: null } }), 'c').labels).toEqual({});
  });
  it('defaults what a config lacks, and refuses a body that is not a JSON object', () => {
    expect(parseConfig(enc({ config: null, rootfs: { diff_ids: ['sha256:x', 5] } }), 'c')).toEqual({
      os: 'unknown',
      architecture: 'unknown',
      created: null,
      labels: {},
      diffIds: ['sha256:x'],
    });
    expect(() => parseConfig(enc('x'), 'The config c')).toThrow(
      'The config c is not a JSON object.',
    );
  });
  it('hashes exactly the bytes', () => {
    expect(digestOf(new TextEncoder().encode(''))).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
