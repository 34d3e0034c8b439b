import { describe, expect, it } from 'vitest';
import { formatReference, parseReference } from '../../../src/registry/reference.ts';

describe('parseReference: hosts', () => {
  it.each([
    ['quay.io/fedora/fedora-bootc:44', 'quay.io', 'fedora/fedora-bootc'],
    ['localhost:5000/a/b', 'localhost:5000', 'a/b'],
    ['[::1]:5000/repo:tag', '[::1]:5000', 'repo'],
    ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo'],
    ['192.168.1.1:5000/repo', '192.168.1.1:5000', 'repo'],
    ['xn--n3h.com/myimage', 'xn--n3h.com', 'myimage'],
    ['LOCALDOMAIN/debian', 'LOCALDOMAIN', 'debian'],
    ['Docker/docker', 'Docker', 'docker'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['redis', 'docker.io', 'library/redis'],
  ])('reads the host of %s as %s', (input, host, repository) => {
    expect(parseReference(input)).toMatchObject({ host, repository });
  });

  it.each([
    ['bad_host.com:5000/app', 'bad_host.com:5000'],
    ['registry.example:http/app', 'registry.example:http'],
    ['-quay.io/app', '-quay.io'],
    ['quay..io/app', 'quay..io'],
    ['fe80::1:5000/app', 'fe80::1:5000'],
    ['[fe80::1%eth0]:5000/app', '[fe80::1%eth0]:5000'],
    ['[2001:db8::192.0.2.33]:5000/app', '[2001:db8::192.0.2.33]:5000'],
  ])('rejects %s for its host %s, saying what a host is', (input, host) => {
    expect(() => parseReference(input)).toThrow(
      `"${input}" has an invalid registry host "${host}"; a host is a domain name (letters, digits and inner "-" between dots), an IPv4 address or an IPv6 address in brackets, with an optional ":port" of digits.`,
    );
  });

  it('rejects a bare IPv6 address, which is no repository', () => {
    expect(() => parseReference('[::1]')).toThrow(/invalid/);
    expect(() => parseReference('[::1]:5000')).toThrow(/invalid/);
  });
});

describe('parseReference: length', () => {
  const name255 = `example.com/${'a/'.repeat(120)}abc`;

  it('accepts a name of 255 characters, whatever the length of its tag', () => {
    expect(name255).toHaveLength(255);
    const reference = parseReference(`${name255}:${'t'.repeat(100)}`);
    expect(reference.host).toBe('example.com');
    expect(formatReference(reference)).toHaveLength(255 + 101);
  });

  it('rejects a name of 256 characters with its host, saying the limit', () => {
    expect(() => parseReference(`${name255}d:tag`)).toThrow(
      `"${name255}d:tag" has a name of 256 characters (host and repository as written); a name is at most 255 characters.`,
    );
  });

  it('rejects a 64-character hexadecimal name, which is an image ID', () => {
    const id = 'a'.repeat(64);
    expect(() => parseReference(id)).toThrow(
      `"${id}" is a 64-character hexadecimal image ID, not a repository; write the repository name, or prefix the ID with "sha256:" after an "@" in a reference.`,
    );
    expect(parseReference(`docker.io/${id}`).repository).toBe(`library/${id}`);
  });

  it('still rejects uppercase letters in the repository path', () => {
    expect(() => parseReference('docker/Docker')).toThrow(/invalid repository path component/);
  });
});
