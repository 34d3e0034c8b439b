import { describe, expect, it } from 'vitest';
import { findCredentials, parseChallenge, TokenCache } from '../../../src/registry/auth.ts';
import {
  parseEndpointOverrides,
  readRegistryConfig,
  endpointFor,
} from '../../../src/registry/config.ts';

describe('parseChallenge', () => {
  it('reads realm, service and scope', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:fedora/fedora-bootc:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://quay.io/v2/auth',
        service: 'quay.io',
        scope: 'repository:fedora/fedora-bootc:pull',
      },
    });
    expect(parseChallenge('Basic realm="test-realm"')?.scheme).toBe('basic');
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('TokenCache', () => {
  it('expires tokens 5 s early, with at least 60 s of life', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('k', 't', 10, undefined);
    now = 54_000;
    expect(cache.get('k')).toBe('t');
    now = 55_001;
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('findCredentials', () => {
  const files: Record<string, string> = {
    '/run/containers/auth.json': JSON.stringify({
      auths: { 'quay.io': { auth: Buffer.from('robot:pw').toString('base64') } },
    }),
    '/home/.docker/config.json': JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw2').toString('base64') },
        'quay.io': { auth: Buffer.from('other:x').toString('base64') },
      },
    }),
  };
  const read = async (file: string) => {
    const text = files[file];
    if (text === undefined) throw new Error('ENOENT');
    return text;
  };
  const config = readRegistryConfig({ HOME: '/home', XDG_RUNTIME_DIR: '/run' });

  it('reads the auth files in order and decodes `auth`', async () => {
    expect(config.authFiles).toEqual([
      '/run/containers/auth.json',
      '/home/.config/containers/auth.json',
      '/home/.docker/config.json',
    ]);
    expect(await findCredentials('quay.io', config.authFiles, read)).toEqual({
      username: 'robot',
      password: 'pw',
    });
    expect(await findCredentials('docker.io', config.authFiles, read)).toEqual({
      username: 'hub',
      password: 'pw2',
    });
    expect(await findCredentials('ghcr.io', config.authFiles, read)).toBeUndefined();
  });

  it('puts REGISTRY_AUTH_FILE first', () => {
    expect(readRegistryConfig({ HOME: '/h', REGISTRY_AUTH_FILE: '/a.json' }).authFiles[0]).toBe(
      '/a.json',
    );
  });
});

describe('IMAGE_MODE_REGISTRIES', () => {
  it('maps public hosts to endpoints', () => {
    const endpoints = parseEndpointOverrides(
      'quay.io=http://127.0.0.1:5000, ghcr.io=http://127.0.0.1:5001',
    );
    expect(endpointFor('quay.io', endpoints).href).toBe('http://127.0.0.1:5000/');
    expect(endpointFor('registry.fedoraproject.org', endpoints).href).toBe(
      'https://registry.fedoraproject.org/',
    );
    expect(endpointFor('docker.io', endpoints).href).toBe('https://registry-1.docker.io/');
  });
  it('says what to write when an entry is wrong', () => {
    expect(() => parseEndpointOverrides('quay.io')).toThrow(
      'IMAGE_MODE_REGISTRIES entry "quay.io" is not "host=url"; write e.g. "quay.io=http://127.0.0.1:5000".',
    );
  });
});
