/**
 * `npm run build [-- --force] [astro build options]`
 *
 * Build the site with `astro build`, unless the last build had the same inputs: then copy its
 * output instead (src/build/output-cache.ts says what the inputs are). `--force` builds anyway.
 * Other options go to `astro build` as they are (`--outDir`, `--config`, ...). The output of the last
 * build is kept in IMAGE_MODE_BUILD_CACHE (default `.cache/build`). The exit code is astro's.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fingerprintInputs, restoreOutput, saveOutput } from '../src/build/output-cache.ts';
import { readSiteConfig } from '../src/site-config.ts';
import { BUILD_DATE_VARIABLE, buildDay } from '../src/utils/clock.ts';

/**
 * Environment values that are not inputs of their own: where things are kept, which does not change
 * what is built, and the pinned build day, which `day` below already holds.
 */
const NOT_INPUTS = new Set(['IMAGE_MODE_CACHE_DIR', 'IMAGE_MODE_BUILD_CACHE', BUILD_DATE_VARIABLE]);

/** Read the value of an option given as `--name value` or `--name=value`. */
function optionValue(args: string[], name: string): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg === name) return args[index + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

const root = process.cwd();
const args = process.argv.slice(2);
const force = args.includes('--force');
const astroArgs = args.filter((arg) => arg !== '--force');
const outDir = resolve(root, optionValue(astroArgs, '--outDir') ?? 'dist');
const configFile = optionValue(astroArgs, '--config');
const cacheDir = resolve(root, process.env['IMAGE_MODE_BUILD_CACHE'] || join('.cache', 'build'));
const site = readSiteConfig();

const settings: Record<string, string> = {
  node: process.version,
  day: buildDay(),
  arguments: astroArgs.join('\0'),
};
for (const [name, value] of Object.entries(process.env))
  if (
    value !== undefined &&
    ((name.startsWith('IMAGE_MODE_') && !NOT_INPUTS.has(name)) || name === 'LINK_CHECK_ALLOW')
  )
    settings[`env ${name}`] = value;

const started = performance.now();
const fingerprint = await fingerprintInputs({
  root,
  paths: [
    'src',
    'content',
    'public',
    'astro.config.ts',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
    site.catalogDir,
    site.snapshotDir,
    ...(configFile ? [configFile] : []),
  ],
  gitScopes: ['content/docs', site.catalogDir],
  settings,
});
const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

if (!force && (await restoreOutput(cacheDir, fingerprint.key, outDir))) {
  console.log(
    `Nothing changed since the last build (${fingerprint.files} input files, build day ${settings['day']}): ` +
      `copied its output to ${outDir} in ${took()}. Run \`npm run build -- --force\` to build anyway.`,
  );
  process.exit(0);
}

const astro = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', ...astroArgs],
  { stdio: 'inherit' },
);
if (astro.status !== 0) process.exit(astro.status ?? 1);
await saveOutput(cacheDir, fingerprint.key, outDir);
console.log(`Kept the output in ${cacheDir} for the next build with the same inputs.`);
