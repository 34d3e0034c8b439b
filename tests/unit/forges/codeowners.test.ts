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

  it('gives GitLab exclusions (!path) no owners, not even the section defaults', () => {
    const text = [
      '[Backend] @backend-team', // 1
      '/ee/app/services/', // 2
      '!/ee/app/services/audit.rb', // 3
      '!/ee/app/services/other.rb @someone', // 4
      '[Dd]ocs/ @docs-team', // 5
    ].join('\n');
    const file = parseCodeowners(text, 'gitlab');
    expect(file.rules).toEqual([
      {
        pattern: '/ee/app/services/',
        owners: ['@backend-team'],
        line: 2,
        section: 'Backend',
        defaultOwners: true,
      },
      {
        pattern: '!/ee/app/services/audit.rb',
        owners: [],
        line: 3,
        section: 'Backend',
        exclude: true,
      },
      {
        pattern: '!/ee/app/services/other.rb',
        owners: [],
        line: 4,
        section: 'Backend',
        exclude: true,
      },
      { pattern: '[Dd]ocs/', owners: ['@docs-team'], line: 5, section: 'Backend' },
    ]);
    expect(file.problems).toEqual([
      {
        line: 4,
        message:
          '"!/ee/app/services/other.rb" excludes files from code ownership, so its owners "@someone" are ignored; remove them.',
      },
    ]);
  });

  it('keeps the owners of a Forgejo negative pattern, and reads no sections there', () => {
    const file = parseCodeowners('!frontend/.* @org/team\n[a-z]+\\.go @user\n', 'forgejo');
    expect(file.rules).toEqual([
      { pattern: '!frontend/.*', owners: ['@org/team'], line: 1 },
      { pattern: '[a-z]+\\.go', owners: ['@user'], line: 2 },
    ]);
    expect(file.sections).toEqual([]);
  });

  it('says that GitHub does not support ! patterns', () => {
    const file = parseCodeowners('* @a\n!docs/ @b\n', 'github');
    expect(file.rules[1]).toEqual({ pattern: '!docs/', owners: [], line: 2, exclude: true });
    expect(file.problems).toEqual([
      {
        line: 2,
        message:
          '"!docs/" negates a pattern, which GitHub CODEOWNERS does not support; GitHub ignores the line.',
      },
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
  it('reads a Markdown table by its GitHub column, skipping an Alumni section', () => {
    const text = [
      '# Maintainers', // 1
      '', // 2
      '| Maintainer | GitHub ID | Affiliation |', // 3
      '|------------|-----------|-------------|', // 4
      '| Ann Example | [annex](https://github.com/annex) | [Acme](https://github.com/AcmeOrg) |', // 5
      '| Ben Example | [benex](https://github.com/orgs/acme/people/benex) | Acme |', // 6
      '| Cy Example | cyex | Acme |', // 7
      '', // 8
      '## Alumni', // 9
      '', // 10
      '| Maintainer | GitHub ID |', // 11
      '|---|---|', // 12
      '| Old Timer | [oldie](https://github.com/oldie) |', // 13
      '', // 14
      '## Credits', // 15
      'Based on [CRI-O](https://github.com/cri-o/cri-o/blob/main/MAINTAINERS.md).', // 16
    ].join('\n');
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@annex', line: 5, forge: 'github' },
      { owner: '@benex', line: 6, forge: 'github' },
      { owner: '@cyex', line: 7, forge: 'github' },
    ]);
  });

  it('reads lists of profile links, skipping an Emeritus section', () => {
    const text = [
      '## Maintainers (in alphabetical order)',
      '- [dana-x](https://github.com/dana-x), Example Inc.',
      '- [@EveX](https://github.com/EveX/)',
      '## Emeritus Maintainers',
      '- [frank](https://github.com/frank)',
    ].join('\n');
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@dana-x', line: 2, forge: 'github' },
      { owner: '@EveX', line: 3, forge: 'github' },
    ]);
  });

  it('reads a YAML file of lists, skipping the inactive one', () => {
    const text =
      'maintainers:\n- gina\n- "@hugo"\n- { name: Jo, github: JoGH }\ninactive:\n- ivan\n';
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@gina', line: 2 },
      { owner: '@hugo', line: 3 },
      { owner: '@JoGH', line: 4, forge: 'github' },
    ]);
  });

  it('reads the people of a TOML file by their GitHub login, skipping former ones', () => {
    const text = [
      '[Rules]', // 1
      '  text = """A maintainer is @someone who reviews."""', // 2
      '[Org]', // 3
      '  [Org.Maintainers]', // 4
      '    people = ["jill", "kurt"]', // 5
      '  [Org."Former maintainers"]', // 6
      '    people = ["lena"]', // 7
      '[people]', // 8
      '  [people.jill]', // 9
      '  Name = "Jill"', // 10
      '  Email = "jill@example.org"', // 11
      '  GitHub = "JillGH"', // 12
      '  [people.kurt]', // 13
      '  Email = "kurt@example.org"', // 14
      '  [people.lena]', // 15
      '  GitHub = "lena"', // 16
    ].join('\n');
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@JillGH', line: 5, forge: 'github' },
      { owner: 'kurt@example.org', line: 5 },
    ]);
  });

  it('reads quoted CSV lines by their first field, the login', () => {
    const text = [
      '# GitHub ID, Name, Email address',
      '"mona","Mona Lisa","mona@example.org"',
      '"Nils", "Nils Holgersson", "nils@example.org"',
    ].join('\n');
    expect(parseMaintainersFile(text)).toEqual([
      { owner: '@mona', line: 2 },
      { owner: '@Nils', line: 3 },
    ]);
  });

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

describe('ownerHandle on hosts other than the usual one', () => {
  it('keeps the host, so that a Codeberg login is not taken for a Fedora Forge one', () => {
    expect(ownerHandle('@alice', 'forgejo', 'codeberg.org')).toBe('forgejo:alice@codeberg.org');
    expect(ownerHandle('@alice', 'forgejo', 'forge.fedoraproject.org')).toBe('forgejo:alice');
    expect(ownerHandle('@group/sub', 'gitlab', 'gitlab.gnome.org')).toBe(
      'gitlab:group/sub@gitlab.gnome.org',
    );
    expect(ownerHandle('@jdoe', 'pagure', 'src.fedoraproject.org')).toBe('fas:jdoe');
  });
});
