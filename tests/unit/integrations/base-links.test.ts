import { markdownToHtml, mdxToJs } from 'satteri';
import { describe, expect, it } from 'vitest';
import { baseLinks, rebaseUrl } from '../../../src/integrations/base-links.ts';

const BASE = '/image-mode-hub/';

/** Render Markdown as the site does, with the base-links plugin, and list every href and src. */
async function renderedLinks(markdown: string, base = BASE): Promise<string[]> {
  const { html } = await markdownToHtml(markdown, { mdastPlugins: [baseLinks(base)] });
  return [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((match) => match[1]!);
}

describe('rebaseUrl', () => {
  it('prefixes root-relative URLs and leaves every other kind alone', () => {
    expect(rebaseUrl('/guides/derive-an-image/#lint', BASE)).toBe(
      '/image-mode-hub/guides/derive-an-image/#lint',
    );
    for (const url of [
      'https://docs.fedoraproject.org/en-US/bootc/',
      '//example.org/x',
      '../guides/',
      'guides/',
      '#top',
      'mailto:coreos@lists.fedoraproject.org',
    ])
      expect(rebaseUrl(url, BASE)).toBe(url);
    expect(rebaseUrl('/guides/', '/')).toBe('/guides/');
  });
});

describe('baseLinks (Markdown)', () => {
  it('prefixes root-relative links, reference definitions and image sources with the base', async () => {
    expect(
      await renderedLinks(
        [
          'Read [Derive an image](/guides/derive-an-image/) and [the board][board].',
          '',
          '![Lineage](/images/lineage.svg)',
          '',
          'Elsewhere: [bootc](https://bootc-dev.github.io/bootc/), [relative](../glossary/), [top](#top).',
          '',
          '[board]: /handover/',
        ].join('\n'),
      ),
    ).toEqual([
      '/image-mode-hub/guides/derive-an-image/',
      '/image-mode-hub/handover/',
      '/image-mode-hub/images/lineage.svg',
      'https://bootc-dev.github.io/bootc/',
      '../glossary/',
      '#top',
    ]);
  });

  it('changes nothing at the root', async () => {
    expect(await renderedLinks('[Images](/images/)', '/')).toEqual(['/images/']);
  });
});

describe('baseLinks (MDX)', () => {
  it('prefixes link attributes of JSX elements and the Markdown links inside them', async () => {
    const { code } = await mdxToJs(
      [
        '<LinkCard title="Milestones" href="/milestones/" description="Fedora 44 and 45" />',
        '',
        '<Card title="Start">',
        '  Begin with [what image mode is](/start-here/what-is-image-mode/).',
        '  <a href="https://fedoraproject.org/">Fedora</a>',
        '</Card>',
      ].join('\n'),
      { mdastPlugins: [baseLinks(BASE)] },
    );
    expect(code).toContain('href: "/image-mode-hub/milestones/"');
    expect(code).toContain('href: "/image-mode-hub/start-here/what-is-image-mode/"');
    expect(code).toContain('href: "https://fedoraproject.org/"');
    expect(code).not.toMatch(/"\/(milestones|start-here)\//);
  });
});
