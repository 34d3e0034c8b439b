import { describe, expect, it } from 'vitest';
import {
  compileTagPattern,
  selectStreamTags,
  selectTags,
} from '../../../src/catalog/tag-pattern.ts';
import { StreamSchema } from '../../../src/catalog/schema.ts';

const stream = (input: unknown) => StreamSchema.parse(input);

describe('compileTagPattern', () => {
  it('compiles placeholders to anchored expressions', () => {
    const fcos = compileTagPattern('<major>.<date>.<n>.<n>');
    expect(fcos.test('44.20261110.3.0')).toBe(true);
    expect(fcos.test('44.20261310.3.0')).toBe(false); // month 13
    expect(fcos.test('x44.20261110.3.0')).toBe(false);
    expect(compileTagPattern('<version>').test('rawhide')).toBe(true);
    expect(compileTagPattern('stable-<version>-<arch>').test('stable-44-aarch64')).toBe(true);
    expect(compileTagPattern('<version>-<sha>').test('44-1a2b3c4')).toBe(true);
    expect(compileTagPattern('latest-<any>').test('latest-foo.1')).toBe(true);
    expect(compileTagPattern('a.b').test('axb')).toBe(false);
  });
  it('names an unknown placeholder and lists the known ones', () => {
    expect(() => compileTagPattern('<release>')).toThrow(
      'Tag pattern "<release>" has an unknown placeholder <release>; use one of <version> <major> <date> <n> <arch> <sha> <any>.',
    );
  });
});

describe('selection', () => {
  const tags = [
    '40',
    '41',
    '42',
    '43',
    '44',
    'latest',
    'rawhide',
    '44.20261101.3.0',
    '44.20261110.3.0',
    '43.20261110.3.0',
    'stable',
  ];
  it('keeps the newest N matches in version order', () => {
    expect(selectStreamTags(stream({ name: 'r', match: '<version>', keep: 3 }), tags)).toEqual([
      '43',
      '44',
      'rawhide',
    ]);
    expect(
      selectStreamTags(stream({ name: 'v', match: '<major>.<date>.<n>.<n>', keep: 2 }), tags),
    ).toEqual(['44.20261101.3.0', '44.20261110.3.0']);
  });
  it('keeps exact tags that exist, and names the streams per tag', () => {
    const selected = selectTags(
      [
        stream({ name: 'streams', tags: ['stable', 'next'] }),
        stream({ name: 'all', tags: ['stable'], match: '<major>', keep: 1 }),
      ],
      tags,
    );
    expect([...selected.entries()]).toEqual([
      ['44', ['all']],
      ['stable', ['all', 'streams']],
    ]);
  });
});
