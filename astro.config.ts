import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  site: 'https://image-mode-hub.example.org',
  integrations: [
    starlight({
      title: 'Image Mode Hub',
      sidebar: [{ label: 'Start here', items: [{ autogenerate: { directory: 'start-here' } }] }],
    }),
  ],
  vite: { environments: { prerender: { resolve: { noExternal: ['js-yaml'] } } } },
});
