/**
 * Markdown links under a base path: the guides in content/docs are written with links from the
 * site's root (`[derive an image](/guides/derive-an-image/)`, `<LinkCard href="/milestones/" />`),
 * and this plugin prefixes each of them with Astro's `base` at build time, so that a site served at
 * `https://owner.github.io/image-mode-hub/` keeps working links while authors keep writing `/guides/…`.
 *
 * Astro 7 renders Markdown and MDX with Sätteri (its default `markdown.processor`; remark plugins run
 * only under `unified()` from @astrojs/markdown-remark, which this site does not use). Sätteri's mdast
 * plugins visit the same mdast nodes a remark plugin with unist-util-visit would (`link`, `image`,
 * `definition`, MDX JSX elements) and set their properties through the visitor's context.
 */
import type { MdastPluginDefinition } from 'satteri';
import { withBase } from '../site/index.ts';

/** JSX attributes that hold a link in the docs' MDX (`<a href>`, `<img src>`, `<LinkCard href>`, hero `link`). */
const LINK_ATTRIBUTES = new Set(['href', 'src', 'link']);

/** A JSX attribute of an MDX element, as mdast-util-mdx-jsx writes it. */
interface JsxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}

/** Prefix a root-relative URL (`/guides/x/`, not `//host/x`) with the base; leave every other URL alone. */
export function rebaseUrl(url: string, base: string): string {
  if (base === '/' || !url.startsWith('/') || url.startsWith('//')) return url;
  return withBase(url, base);
}

/** Rebase the link-valued attributes of an MDX JSX element; undefined when none changes. */
function rebaseAttributes<A extends JsxAttribute>(
  attributes: readonly A[],
  base: string,
): A[] | undefined {
  let changed = false;
  const next = attributes.map((attribute) => {
    if (
      attribute.type !== 'mdxJsxAttribute' ||
      !LINK_ATTRIBUTES.has(attribute.name ?? '') ||
      typeof attribute.value !== 'string'
    )
      return attribute;
    const value = rebaseUrl(attribute.value, base);
    if (value === attribute.value) return attribute;
    changed = true;
    return { ...attribute, value };
  });
  return changed ? next : undefined;
}

/** Create the Sätteri mdast plugin that prefixes root-relative links and image sources with `base`. */
export function baseLinks(base: string): MdastPluginDefinition {
  const url = (node: Readonly<{ url: string }>, set: (value: string) => void) => {
    const value = rebaseUrl(node.url, base);
    if (value !== node.url) set(value);
  };
  return {
    name: 'image-mode-hub:base-links',
    link: (node, ctx) => url(node, (value) => ctx.setProperty(node, 'url', value)),
    image: (node, ctx) => url(node, (value) => ctx.setProperty(node, 'url', value)),
    definition: (node, ctx) => url(node, (value) => ctx.setProperty(node, 'url', value)),
    // Sätteri cannot set `attributes` in place, so the element is replaced by a copy (same children).
    mdxJsxFlowElement: (node, ctx) => {
      const attributes = rebaseAttributes(node.attributes, base);
      if (attributes) ctx.replaceNode(node, { ...node, attributes, children: [...node.children] });
    },
    mdxJsxTextElement: (node, ctx) => {
      const attributes = rebaseAttributes(node.attributes, base);
      if (attributes) ctx.replaceNode(node, { ...node, attributes, children: [...node.children] });
    },
  };
}
