/**
 * The container image: the Containerfile's stages, and deploy/nginx.conf served by a real nginx
 * (Debian's, when installed) over a small built-site tree: caching headers, gzip, directory
 * redirects and the 404 page, as a browser would see them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { freePort } from '../../helpers/registry.ts';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const containerfile = readFileSync('Containerfile', 'utf8');
const NGINX = '/usr/sbin/nginx';

/** The stages of a Containerfile: base image, name and instructions. */
function stages(text: string): { from: string; name?: string; lines: string[] }[] {
  const out: { from: string; name?: string; lines: string[] }[] = [];
  const joined = text.replace(/\\\n\s*/g, ' ');
  for (const line of joined.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ from: from[1]!, ...(from[2] ? { name: from[2] } : {}), lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

describe('Containerfile', () => {
  const [build, serve, ...rest] = stages(containerfile);

  it('builds with Node 24 and serves with unprivileged nginx on port 8080', () => {
    expect(rest).toEqual([]);
    expect(build!.from).toMatch(/^docker\.io\/library\/node:24[-.\w]*$/);
    expect(build!.lines).toContain('RUN npm ci --no-audit --no-fund');
    expect(build!.lines.join('\n')).toMatch(/npm run validate && .*npm run build/);
    expect(serve!.from).toMatch(/^docker\.io\/nginxinc\/nginx-unprivileged:/);
    expect(serve!.lines).toContain(`COPY --from=${build!.name} /src/dist/ /usr/share/nginx/html/`);
    expect(serve!.lines).toContain('COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf');
    expect(serve!.lines).toContain('EXPOSE 8080');
    const user = serve!.lines.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (0|root)\b/);
  });

  it('copies into the build stage everything the build reads, and nothing from node_modules or dist/', () => {
    const sources = build!.lines
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const source of sources) expect(existsSync(source), source).toBe(true);
    for (const needed of ['astro.config.ts', 'src/', 'content/', 'public/', 'package-lock.json'])
      expect(sources).toContain(needed);
    expect(sources.filter((source) => /node_modules|dist|\.cache|^\.$/.test(source))).toEqual([]);
  });
});

/** Write nginx's main config in `dir` around deploy/nginx.conf's server block, on `port` with `root` as its root, and check it with `nginx -t`. */
async function writeNginxConfig(dir: string, root: string, port: number): Promise<void> {
  // The image's server block, on the given port and with the given tree as its root.
  const site = (await readFile(resolve('deploy/nginx.conf'), 'utf8'))
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/usr\/share\/nginx\/html;/, `root ${root};`);
  expect(site).toContain(`listen 127.0.0.1:${port};`);
  await writeFile(join(dir, 'site.conf'), site);
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log;`,
      'events { worker_connections 64; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (name) => `  ${name}_temp_path ${dir}/${name};`,
      ),
      `  include ${dir}/site.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
    encoding: 'utf8',
  });
  if (check.status !== 0) throw new Error(`nginx -t rejected deploy/nginx.conf:\n${check.stderr}`);
}

/** Wait until nginx answers on `base` (true), or exits or stays silent for 5 s (false). */
async function answers(nginx: ChildProcess, base: string): Promise<boolean> {
  for (let i = 0; i < 50 && nginx.exitCode === null; i++) {
    try {
      await fetch(`${base}/`);
      // Another server may hold the port: nginx, which could not bind it, has exited by now.
      await new Promise((done) => setTimeout(done, 50));
      return nginx.exitCode === null;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return false;
}

const hasNginx = existsSync(NGINX);

describe.skipIf(!hasNginx)('deploy/nginx.conf served by nginx', () => {
  let dir: string;
  let base: string;
  let nginx: ChildProcess | undefined;
  const bigHtml = `<!doctype html><title>Fedora bootc</title><main>${'<p>quay.io/fedora/fedora-bootc:44</p>'.repeat(200)}</main>`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nginx-site-'));
    // nginx's workers run as an unprivileged user when the tests run as root: let them read.
    await chmod(dir, 0o755);
    const root = join(dir, 'html');
    const files: Record<string, string> = {
      'index.html': bigHtml,
      'images/quay.io/fedora/fedora-bootc/index.html': bigHtml,
      '404.html': '<!doctype html><title>Not found</title><h1>404</h1>',
      '_astro/page.Dk3x9a2f.js': `console.log(${JSON.stringify('x'.repeat(4000))});`,
      'api/images.json': JSON.stringify({
        images: Array(200).fill({ ref: 'quay.io/fedora/fedora-bootc' }),
      }),
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    // A free port can be taken by someone else before nginx binds it: then nginx exits, and the
    // next try takes another port. Only an answer from this nginx counts.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      await writeNginxConfig(dir, root, port);
      nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
      if (await answers(nginx, base)) return;
      nginx.kill('SIGQUIT');
    }
    throw new Error(`nginx did not answer on ${base}; see ${dir}/error.log`);
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    if (nginx) await new Promise((done) => nginx!.once('exit', done));
    await rm(dir, { recursive: true, force: true });
  });

  it('caches hashed assets for a year and compresses them', async () => {
    const response = await fetch(`${base}/_astro/page.Dk3x9a2f.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
  });

  it('serves pages with a short cache, gzip and nosniff', async () => {
    const response = await fetch(`${base}/images/quay.io/fedora/fedora-bootc/`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('quay.io/fedora/fedora-bootc:44');
  });

  it('serves the JSON exports as JSON with a short cache', async () => {
    const response = await fetch(`${base}/api/images.json`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await response.json()).images).toHaveLength(200);
  });

  it('redirects a page path without its slash, keeping the host the client used', async () => {
    const response = await fetch(`${base}/images/quay.io/fedora/fedora-bootc`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/images/quay.io/fedora/fedora-bootc/');
  });

  it("answers an unknown path with the site's 404 page", async () => {
    const response = await fetch(`${base}/images/quay.io/nobody/nothing/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<h1>404</h1>');
  });
});
