/**
 * The commands in the guides agree with the catalog: every image they name under quay.io, ghcr.io
 * or registry.fedoraproject.org is a catalog image (or a mirror of one), every tag they use is one
 * the catalog tracks for it, and every `bootc` subcommand exists.
 *
 * Only fenced shell blocks (sh, bash, shell, console) and Containerfile blocks are read: prose and
 * YAML excerpts of other repositories' files are not commands a reader runs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import type { Catalog, Stream } from '../../../src/catalog/schema.ts';
import { parseReference } from '../../../src/registry/reference.ts';

const DOCS_DIR = 'content/docs';
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const CONTAINERFILE_LANGUAGES = new Set(['dockerfile', 'containerfile']);
const CHECKED_HOSTS = ['quay.io', 'ghcr.io', 'registry.fedoraproject.org'];

/**
 * bootc's subcommands, from the upstream manual's table of contents (bootc-dev/bootc
 * docs/src/SUMMARY.md): the man pages of status, upgrade, switch, rollback and usr-overlay, the
 * `bootc install` chapter and `bootc container lint`. A subcommand with a list must be followed by
 * one of its entries.
 */
const BOOTC_SUBCOMMANDS: Record<string, string[] | null> = {
  status: null,
  upgrade: null,
  switch: null,
  rollback: null,
  'usr-overlay': null,
  install: ['to-disk', 'to-filesystem', 'to-existing-root'],
  container: ['lint'],
};

/** A fenced code block of a docs page. */
interface CodeBlock {
  file: string;
  /** Line of the opening fence, 1-based. */
  line: number;
  language: string;
  text: string;
}

/** A command that disagrees with the catalog or with bootc, where it is and why. */
interface Problem {
  where: string;
  message: string;
}

/** Extract every fenced code block of a Markdown or MDX page, indented ones (in lists) included. */
function extractCodeBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[index]!);
    if (!open) continue;
    const [, indent = '', fence = '```', language = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence)) {
      body.push(lines[end]!.startsWith(indent) ? lines[end]!.slice(indent.length) : lines[end]!);
      end++;
    }
    blocks.push({ file, line: index + 1, language: language.toLowerCase(), text: body.join('\n') });
    index = end;
  }
  return blocks;
}

/** Read every page under content/docs and return its shell and Containerfile blocks. */
async function readCommandBlocks(dir: string = DOCS_DIR): Promise<CodeBlock[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.mdx?$/.test(entry.name))
    .map((entry) => relative('.', join(entry.parentPath, entry.name)))
    .sort();
  const blocks: CodeBlock[] = [];
  for (const file of files) {
    blocks.push(...extractCodeBlocks(file, await readFile(file, 'utf8')));
  }
  return blocks.filter(
    (block) => SHELL_LANGUAGES.has(block.language) || CONTAINERFILE_LANGUAGES.has(block.language),
  );
}

/** Join shell continuation lines and drop comments, keeping each command's first line number. */
function commandLines(block: CodeBlock): Array<{ line: number; text: string }> {
  const result: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  block.text.split('\n').forEach((raw, offset) => {
    const line = block.line + 1 + offset;
    const text = raw.replace(/(^|\s)#.*$/, '$1').trimEnd();
    if (pending) pending.text += ` ${text.trim()}`;
    else pending = { line, text: text.trim() };
    if (pending.text.endsWith('\\')) {
      pending.text = pending.text.slice(0, -1).trimEnd();
    } else {
      if (pending.text !== '') result.push(pending);
      pending = undefined;
    }
  });
  if (pending && pending.text !== '') result.push(pending);
  return result;
}

/** Turn a stream pattern such as `<version>.<date>.0` into a regular expression. */
function patternToRegExp(match: string): RegExp {
  const placeholders: Record<string, string> = {
    '<version>': '(?:\\d+|rawhide)',
    '<major>': '\\d+',
    '<date>': '\\d{8}',
    '<n>': '\\d+',
    '<arch>': '(?:x86_64|aarch64|ppc64le|s390x|amd64|arm64)',
    '<sha>': '[0-9a-f]+',
    '<any>': '.+',
  };
  const source = match
    .split(/(<[a-z]+>)/)
    .map((part) => placeholders[part] ?? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Map every catalog repository, and every mirror, to the streams of its image. */
function indexCatalogImages(catalog: Catalog): Map<string, Stream[]> {
  const images = new Map<string, Stream[]>();
  for (const subproject of catalog.subprojects) {
    for (const image of subproject.images) {
      images.set(image.ref, image.streams);
      for (const mirror of image.mirrors) images.set(mirror, image.streams);
    }
  }
  return images;
}

/** Check the commands of some code blocks against the catalog and bootc's subcommands. */
function checkCommands(blocks: CodeBlock[], images: Map<string, Stream[]>): Problem[] {
  const problems: Problem[] = [];
  const hosts = CHECKED_HOSTS.map((host) => host.replace(/\./g, '\\.')).join('|');
  const imagePattern = new RegExp(`(?<![\\w.-])(?:${hosts})/[^\\s'"\`)]+`, 'g');
  const bootcPattern =
    /(?:^|[;&|(]\s*|\bsudo\s+|\bRUN\s+|\bexec\s+)bootc\s+([^\s;&|)]+)(?:\s+([^\s;&|)]+))?/g;

  for (const block of blocks) {
    for (const { line, text } of commandLines(block)) {
      const where = `${block.file}:${line}`;
      for (const [token] of text.matchAll(imagePattern)) {
        if (/[<>{}$*]/.test(token)) continue; // a template such as fedora-bootc-<version>-<tier>, not a command
        let reference;
        try {
          reference = parseReference(token);
        } catch (error) {
          problems.push({ where, message: `${token}: ${(error as Error).message}` });
          continue;
        }
        const repository = `${reference.host}/${reference.repository}`;
        const streams = images.get(repository);
        if (!streams) {
          problems.push({
            where,
            message: `${repository} is not an image or mirror in content/catalog; add it there or fix the name`,
          });
          continue;
        }
        if (reference.tag === undefined) continue;
        const tag = reference.tag;
        const tracked = streams.some(
          (stream) =>
            stream.tags?.includes(tag) ||
            (stream.match !== undefined && patternToRegExp(stream.match).test(tag)),
        );
        if (!tracked) {
          const known = streams
            .map((stream) =>
              [...(stream.tags ?? []), ...(stream.match ? [stream.match] : [])].join(', '),
            )
            .join('; ');
          problems.push({
            where,
            message: `${repository}:${tag}: the catalog tracks no tag "${tag}" for this image (it tracks: ${known})`,
          });
        }
      }
      for (const match of text.matchAll(bootcPattern)) {
        const [, subcommand = '', next] = match;
        if (subcommand.startsWith('-')) continue; // bootc --help, bootc --version
        if (!(subcommand in BOOTC_SUBCOMMANDS)) {
          problems.push({
            where,
            message: `"bootc ${subcommand}" is not a bootc subcommand (known: ${Object.keys(BOOTC_SUBCOMMANDS).join(', ')})`,
          });
          continue;
        }
        const nested = BOOTC_SUBCOMMANDS[subcommand];
        if (nested && (next === undefined || !nested.includes(next))) {
          const written = `bootc ${subcommand} ${next ?? ''}`.trimEnd();
          problems.push({
            where,
            message: `"${written}" is not a bootc command; after "bootc ${subcommand}" write one of: ${nested.join(', ')}`,
          });
        }
      }
    }
  }
  return problems;
}

/** Format problems one per line, so a failing test shows where to look. */
const describeProblems = (problems: Problem[]): string[] =>
  problems.map((problem) => `${problem.where}  ${problem.message}`);

describe('commands in content/docs', () => {
  let blocks: CodeBlock[];
  let images: Map<string, Stream[]>;

  beforeAll(async () => {
    blocks = await readCommandBlocks();
    images = indexCatalogImages(await loadCatalog('content/catalog'));
  });

  it('finds the shell and Containerfile blocks of the guides', () => {
    expect(blocks.length).toBeGreaterThan(40);
    expect(blocks.filter((block) => block.language === 'dockerfile').length).toBeGreaterThanOrEqual(
      3,
    );
    const text = blocks.map((block) => block.text).join('\n');
    expect(text).toContain('quay.io/fedora/fedora-bootc:44');
    expect(text).toContain('quay.io/centos-bootc/bootc-image-builder:latest');
    expect(text).toContain('bootc container lint');
  });

  it('name only images, mirrors and tags that the catalog lists, and real bootc subcommands', () => {
    expect(describeProblems(checkCommands(blocks, images))).toEqual([]);
  });

  it('reject a misspelt image, an untracked tag and a bootc subcommand that does not exist', () => {
    const page = [
      'Steps:',
      '',
      '1. Try it:',
      '',
      '   ```sh',
      '   podman pull quay.io/fedora/fedora-bootcc:44',
      '   sudo bootc switch registry.fedoraproject.org/fedora-bootc:stable',
      '   sudo bootc upgrad --apply',
      '   bootc install to-disk /dev/vda && bootc install /dev/vda',
      '   ```',
      '',
      '```dockerfile',
      'FROM quay.io/fedora/fedora-bootc:44',
      'RUN bootc container lint',
      'RUN bootc container lnt',
      '```',
    ].join('\n');
    const problems = checkCommands(extractCodeBlocks('broken.md', page), images);
    expect(describeProblems(problems)).toEqual([
      'broken.md:6  quay.io/fedora/fedora-bootcc is not an image or mirror in content/catalog; add it there or fix the name',
      'broken.md:7  registry.fedoraproject.org/fedora-bootc:stable: the catalog tracks no tag "stable" for this image (it tracks: latest; rawhide; <version>)',
      'broken.md:8  "bootc upgrad" is not a bootc subcommand (known: status, upgrade, switch, rollback, usr-overlay, install, container)',
      'broken.md:9  "bootc install /dev/vda" is not a bootc command; after "bootc install" write one of: to-disk, to-filesystem, to-existing-root',
      'broken.md:15  "bootc container lnt" is not a bootc command; after "bootc container" write one of: lint',
    ]);
  });

  it('expand tag patterns with their placeholders', () => {
    expect(patternToRegExp('<version>').test('44')).toBe(true);
    expect(patternToRegExp('<version>').test('rawhide')).toBe(true);
    expect(patternToRegExp('<version>').test('44.1')).toBe(false);
    expect(patternToRegExp('<version>.<date>.0').test('44.20260301.0')).toBe(true);
    expect(patternToRegExp('<major>.<date>.<n>.<n>').test('44.20260301.92.1')).toBe(true);
    expect(patternToRegExp('stable-<version>.<date>').test('stable-44.2026030')).toBe(false);
  });
});
