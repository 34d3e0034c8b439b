import { describe, expect, it } from 'vitest';
import { parseNextLink, parseRetryAfter } from '../../../src/utils/http-headers.ts';

describe('parseNextLink', () => {
  const request = 'https://r.example/v2/x/tags/list?n=2';
  const next = (header: string | null | undefined) => parseNextLink(header, request)?.href;

  it('reads relative, absolute, unquoted and multi-link headers', () => {
    expect(next('</v2/x/tags/list?last=b&n=2>; rel="next"')).toBe(
      'https://r.example/v2/x/tags/list?last=b&n=2',
    );
    expect(next('<https://quay.io/v2/a/tags/list?next_page=gAAA&n=50>; rel=next')).toBe(
      'https://quay.io/v2/a/tags/list?next_page=gAAA&n=50',
    );
    expect(next('</first>; rel="prev", </second>;  rel="next"')).toBe('https://r.example/second');
    expect(next('</x>; rel="prev"')).toBeUndefined();
    expect(next(null)).toBeUndefined();
  });

  it('finds rel="next" among several relations and parameters (GitLab, Forgejo)', () => {
    expect(next('<https://x/api?page=3>; rel="last", <https://x/api?page=2>; rel="next"')).toBe(
      'https://x/api?page=2',
    );
    expect(next('<https://x/api?page=1>; rel="first"')).toBeUndefined();
    expect(next(undefined)).toBeUndefined();
    expect(next('<?page=2&sort=a,b>; title="a, b; c"; REL="last next"')).toBe(
      'https://r.example/v2/x/tags/list?page=2&sort=a,b',
    );
  });

  it('does not take a relation that only starts with "next", or a target that is not a URL', () => {
    expect(next('</x?page=2>; rel="nextpage"')).toBeUndefined();
    expect(next('</a>; rel="prev"; title="next"')).toBeUndefined();
    expect(next('<http://[bad>; rel="next"')).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T00:00:00Z');

  it('reads seconds as milliseconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date as the time left, never negative', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 23:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
