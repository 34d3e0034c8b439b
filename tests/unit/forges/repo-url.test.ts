import { describe, expect, it } from 'vitest';
import { parseRepoUrl, RepoUrlError } from '../../../src/forges/repo-url.ts';

describe('parseRepoUrl', () => {
  it.each([
    ['https://github.com/ublue-os/bluefin', 'github', 'ublue-os', 'bluefin'],
    [
      'https://github.com/coreos/fedora-coreos-config/tree/testing-devel/',
      'github',
      'coreos',
      'fedora-coreos-config',
    ],
    ['https://gitlab.com/fedora/bootc/base-images', 'gitlab', 'fedora/bootc', 'base-images'],
    [
      'https://gitlab.com/fedora/bootc/base-images/-/tree/main',
      'gitlab',
      'fedora/bootc',
      'base-images',
    ],
    ['https://gitlab.example.org/infra/tenants-config.git', 'gitlab', 'infra', 'tenants-config'],
    [
      'https://forge.fedoraproject.org/atomic-desktops/tracker',
      'forgejo',
      'atomic-desktops',
      'tracker',
    ],
    ['https://codeberg.org/forgejo/forgejo/src/branch/forgejo', 'forgejo', 'forgejo', 'forgejo'],
    ['https://pagure.io/workstation-ostree-config', 'pagure', '', 'workstation-ostree-config'],
    ['https://pagure.io/fedora-iot/base-images/tree/main', 'pagure', 'fedora-iot', 'base-images'],
    ['https://src.fedoraproject.org/rpms/bootc', 'pagure', 'rpms', 'bootc'],
    ['https://example.org/some/repo', 'other', 'some', 'repo'],
  ])('reads %s', (url, forge, owner, name) => {
    const location = parseRepoUrl(url);
    expect([location.forge, location.owner, location.name]).toEqual([forge, owner, name]);
    expect(location.webUrl).toBe(`https://${location.host}/${owner ? `${owner}/` : ''}${name}`);
  });

  it('says what to write when the URL names no repository', () => {
    expect(() => parseRepoUrl('https://github.com/ublue-os')).toThrow(RepoUrlError);
    expect(() => parseRepoUrl('https://github.com/ublue-os')).toThrow(
      '"https://github.com/ublue-os" does not name a repository; write the full path, e.g. "https://github.com/<owner>/<repository>".',
    );
  });
});
