import { describe, expect, it } from 'vitest';
import { formatHandle, handleLink, parseHandle } from '../../../src/forges/handles.ts';

describe('owner handles', () => {
  it('leave the usual host out and keep any other', () => {
    expect(formatHandle('github', 'Dustymabe', 'github.com')).toBe('github:dustymabe');
    expect(formatHandle('forgejo', 'alice', 'forge.fedoraproject.org')).toBe('forgejo:alice');
    expect(formatHandle('forgejo', 'alice', 'Codeberg.org')).toBe('forgejo:alice@codeberg.org');
    expect(formatHandle('gitlab', 'group/Sub', 'gitlab.gnome.org')).toBe(
      'gitlab:group/sub@gitlab.gnome.org',
    );
    expect(formatHandle('gitlab', 'bob')).toBe('gitlab:bob');
  });

  it('parse back to kind, login and host', () => {
    expect(parseHandle('forgejo:alice@codeberg.org')).toEqual({
      kind: 'forgejo',
      login: 'alice',
      host: 'codeberg.org',
    });
    expect(parseHandle('gitlab:bob')).toEqual({ kind: 'gitlab', login: 'bob', host: 'gitlab.com' });
    expect(parseHandle('someone@example.org')).toBeUndefined();
    expect(parseHandle('coreos-wg')).toBeUndefined();
  });

  it('link each account to its own host', () => {
    expect(handleLink('forgejo:alice@codeberg.org')).toEqual({
      label: '@alice (codeberg.org)',
      href: 'https://codeberg.org/alice',
    });
    expect(handleLink('forgejo:alice')).toEqual({
      label: '@alice (Fedora Forge)',
      href: 'https://forge.fedoraproject.org/alice',
    });
    expect(handleLink('gitlab:fedora/bootc@gitlab.gnome.org')).toEqual({
      label: '@fedora/bootc (gitlab.gnome.org)',
      href: 'https://gitlab.gnome.org/fedora/bootc',
    });
    expect(handleLink('gitlab:bob')).toEqual({
      label: '@bob (GitLab)',
      href: 'https://gitlab.com/bob',
    });
    expect(handleLink('github:ublue-os/approvers')).toEqual({
      label: '@ublue-os/approvers',
      href: 'https://github.com/orgs/ublue-os/teams/approvers',
    });
    expect(handleLink('forgejo:fedora/bootc-maintainers')).toEqual({
      label: '@fedora/bootc-maintainers (Fedora Forge)',
      href: 'https://forge.fedoraproject.org/org/fedora/teams/bootc-maintainers',
    });
    expect(handleLink('fas:jdoe')).toEqual({
      label: 'jdoe (FAS)',
      href: 'https://accounts.fedoraproject.org/user/jdoe/',
    });
    expect(handleLink('fas:@releng')).toEqual({
      label: 'releng (FAS group)',
      href: 'https://accounts.fedoraproject.org/group/releng/',
    });
    expect(handleLink('someone@example.org')).toEqual({ label: 'someone@example.org' });
  });
});
