import { describe, expect, it } from 'vitest';
import {
  ownerHandle,
  parseCodeowners,
  parseMaintainersFile,
  parseOwnersAliases,
  parseOwnersFile,
} from '../../../src/forges/codeowners.ts';

describe('parseCodeowners', () => {
  it('reads GitHub rules with their lines, skipping comments and blank lines', () => {
    const file = parseCodeowners(
      [
        '# Owners of everything',
        '',
        '*       @ublue-os/approver',
        '/build_files/ @castrojo @p5 # inline note',
        'docs/*  docs@example.org',
      ].join('\n'),
    );
    expect(file.rules).toEqual([
      { pattern: '*', owners: ['@ublue-os/approver'], line: 3 },
      { pattern: '/build_files/', owners: ['@castrojo', '@p5'], line: 4 },
      { pattern: 'docs/*', owners: ['docs@example.org'], line: 5 },
    ]);
    expect(file.problems).toEqual([]);
  });

  it('keeps an escaped \\# and an escaped space as part of the pattern', () => {
    const file = parseCodeowners('\\#notes.md @alice\npath\\ with\\ spaces/ @bob\n');
    expect(file.rules.map((rule) => [rule.pattern, rule.owners])).toEqual([
      ['#notes.md', ['@alice']],
      ['path with spaces/', ['@bob']],
    ]);
  });

  it('reads GitLab sections: optional, approvals and default owners', () => {
    const text = [
      '* @fedora/bootc', // 1
      '', // 2
      '[Tekton pipelines][2] @walters @jlebon', // 3
      '.tekton/', // 4
      '.tekton/*-iot-*.yaml @pwhalen', // 5
      '^[Documentation]', // 6
      'docs/ @docs-team', // 7
      'README.md', // 8
    ].join('\n');
    const file = parseCodeowners(text);
    expect(file.sections).toEqual([
      {
        name: 'Tekton pipelines',
        line: 3,
        optional: false,
        approvals: 2,
        defaultOwners: ['@walters', '@jlebon'],
      },
      { name: 'Documentation', line: 6, optional: true, defaultOwners: [] },
    ]);
    expect(file.rules).toEqual([
      { pattern: '*', owners: ['@fedora/bootc'], line: 1 },
      {
        pattern: '.tekton/',
        owners: ['@walters', '@jlebon'],
        line: 4,
        section: 'Tekton pipelines',
        defaultOwners: true,
      },
      {
        pattern: '.tekton/*-iot-*.yaml',
        owners: ['@pwhalen'],
        line: 5,
        section: 'Tekton pipelines',
      },
      { pattern: 'docs/', owners: ['@docs-team'], line: 7, section: 'Documentation' },
      { pattern: 'README.md', owners: [], line: 8, section: 'Documentation' },
    ]);
  });

  it('reports tokens that are not owners, naming the line', () => {
    expect(parseCodeowners('*.js alice @bob\n').problems).toEqual([
      {
        line: 1,
        message: '"alice" is not an owner; write "@user", "@org/team" or an e-mail address.',
      },
    ]);
  });
});

describe('ownerHandle', () => {
  it('prefixes handles with the forge and lower-cases them', () => {
    expect(ownerHandle('@KyleGospo', 'github')).toBe('github:kylegospo');
    expect(ownerHandle('@ublue-os/approver', 'github')).toBe('github:ublue-os/approver');
    expect(ownerHandle('@fedora/bootc', 'gitlab')).toBe('gitlab:fedora/bootc');
    expect(ownerHandle('jlebon', 'forgejo')).toBe('forgejo:jlebon');
    expect(ownerHandle('Dusty@Example.org', 'github')).toBe('dusty@example.org');
    expect(ownerHandle('@@maintainer', 'gitlab')).toBeUndefined();
  });
});

describe('parseOwnersFile', () => {
  it('reads approvers and reviewers with their lines', () => {
    const text = [
      '# See the OWNERS docs',
      'approvers:',
      '  - cgwalters',
      '  - jmarrero',
      'reviewers:',
      '- ckyrouac',
      'emeritus_approvers: [old]',
    ].join('\n');
    expect(parseOwnersFile(text)).toEqual({
      owners: [
        { owner: 'cgwalters', line: 3, detail: 'approver' },
        { owner: 'jmarrero', line: 4, detail: 'approver' },
        { owner: 'ckyrouac', line: 6, detail: 'reviewer' },
      ],
      problems: [],
    });
  });
});

describe('OWNERS_ALIASES', () => {
  const aliasesText = [
    '# See the OWNERS_ALIASES docs',
    'aliases:',
    '  build-team:',
    '    - alice',
    '    - Bob',
    '  docs-team: [carol]',
  ].join('\n');

  it('reads the aliases and their members', () => {
    const { aliases, problems } = parseOwnersAliases(aliasesText);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(aliases)).toEqual({
      'build-team': ['alice', 'Bob'],
      'docs-team': ['carol'],
    });
  });

  it('resolves aliases named in OWNERS to their members, noting the alias', () => {
    const { aliases } = parseOwnersAliases(aliasesText);
    const owners = parseOwnersFile(
      'approvers:\n  - Build-Team\nreviewers:\n  - dave\n  - docs-team\n',
      aliases,
    );
    expect(owners).toEqual({
      owners: [
        { owner: 'alice', line: 2, detail: 'approver (alias build-team)' },
        { owner: 'Bob', line: 2, detail: 'approver (alias build-team)' },
        { owner: 'dave', line: 4, detail: 'reviewer' },
        { owner: 'carol', line: 5, detail: 'reviewer (alias docs-team)' },
      ],
      problems: [],
    });
  });

  it('says what is wrong with an OWNERS_ALIASES that is not a mapping of lists', () => {
    expect(parseOwnersAliases('aliases:\n  team: alice\n').problems).toEqual([
      'OWNERS_ALIASES: alias "team" is not a list of logins; write "team: [login, ...]".',
    ]);
    expect(parseOwnersAliases('- alice\n').problems).toEqual([
      'OWNERS_ALIASES has no "aliases:" mapping; write "aliases:" followed by "name: [login, ...]" entries.',
    ]);
  });
});

describe('parseMaintainersFile', () => {
  it('reads handles, or e-mail addresses where a line has no handle', () => {
    const text = [
      '# Maintainers',
      '',
      '- Colin Walters <walters@verbum.org> (@cgwalters)',
      '| Jonathan Lebon | @jlebon | jlebon@redhat.com |',
      'Dusty Mabe <dusty@dustymabe.com>',
      'See https://example.org for more.',
    ].join('\n');
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@cgwalters', line: 3 },
      { owner: '@jlebon', line: 4 },
      { owner: 'dusty@dustymabe.com', line: 5 },
    ]);
  });
});
