import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { linkCheck } from './src/integrations/link-check.ts';

export default defineConfig({
  site: 'https://image-mode-hub.example.org',
  integrations: [
    starlight({
      title: 'Image Mode Hub',
      sidebar: [
        { label: 'Start here', items: [{ autogenerate: { directory: 'start-here' } }] },
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        { label: 'Handover', items: [{ autogenerate: { directory: 'handover' } }] },
        { label: 'Contributing', items: [{ autogenerate: { directory: 'contributing' } }] },
      ],
    }),
    linkCheck(),
  ],
  vite: { environments: { prerender: { resolve: { noExternal: ['js-yaml'] } } } },
});
