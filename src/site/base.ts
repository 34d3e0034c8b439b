/**
 * The path the site is served under: `/` at a host's root, `/image-mode-hub/` for a GitHub or
 * GitLab project site. IMAGE_MODE_BASE sets Astro's `base` (astro.config.ts), and Vite writes that
 * value into `import.meta.env.BASE_URL` of every module it builds, pages and client scripts alike; it
 * is read here once, so every site path in src/site is prefixed in one place without src/site
 * importing Astro or reading the environment. Outside Vite (plain Node) it is the root.
 */

/** Turn a base written with or without its slashes (`image-mode-hub`, `/a/b`) into `/image-mode-hub/`, `/a/b/`. */
export function normalizeBase(base: string | undefined): string {
  const trimmed = (base ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** The base of this build (`/` or `/<path>/`), as Astro's `base` set it. */
export const SITE_BASE: string = normalizeBase(
  (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL,
);

/** Prefix a root-relative site path (`/images/`) with the base: `/image-mode-hub/images/`. */
export function withBase(path: string, base: string = SITE_BASE): string {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  return `${base}${path.slice(1)}`;
}
