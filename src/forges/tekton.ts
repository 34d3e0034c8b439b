/**
 * Konflux pipelines: the PipelineRuns under .tekton/ (Pipelines as Code), which tell which repo and
 * branch build which image for which platforms, and how they link to the catalog's images.
 *
 * Pure: YAML text in, PipelineRun facts out.
 */
import { parseAllDocuments } from 'yaml';

/** What a PipelineRun tells about a build. */
export interface PipelineRunInfo {
  file: string;
  name: string;
  namespace?: string;
  /** "push" or "pull_request". */
  event?: string;
  /** Target branch, or several joined by ", " when the expression names more than one. */
  branch?: string;
  onCelExpression?: string;
  application?: string;
  component?: string;
  outputImage?: string;
  platforms: string[];
}

/** How a PipelineRun was linked to a catalog image. */
export type ImageLinkRule = 'output-image' | 'component-name' | 'konflux-intermediate';

export interface ImageLink {
  /** Catalog image repository, e.g. "quay.io/bootc-devel/fedora-bootc-44-standard". */
  image: string;
  rule: ImageLinkRule;
}

/** A catalog image that a PipelineRun may build: its ref, mirrors, and the subproject listing it. */
export interface CandidateImage {
  ref: string;
  mirrors: string[];
  subproject: string;
  /** The catalog role: "base", "variant", "ci", ... */
  role: string;
}

const APPLICATION_LABEL = 'appstudio.openshift.io/application';
const COMPONENT_LABEL = 'appstudio.openshift.io/component';
const CEL_ANNOTATION = 'pipelinesascode.tekton.dev/on-cel-expression';
const EVENT_ANNOTATION = 'pipelinesascode.tekton.dev/on-event';
const BRANCH_ANNOTATION = 'pipelinesascode.tekton.dev/on-target-branch';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Read a Pipelines-as-Code list annotation such as `"[push]"`, `[main, f44]` or `push`. */
export function parseAnnotationList(value: string): string[] {
  return value
    .replace(/^\s*\[/, '')
    .replace(/\]\s*$/, '')
    .split(',')
    .map((item) => item.trim().replace(/^["']|["']$/g, ''))
    .filter((item) => item !== '');
}

/**
 * Extract the event and target branch from a Pipelines-as-Code CEL expression, e.g.
 * `event == "push" && target_branch == "main"`. Only plain equality tests are read;
 * anything else (pathChanged(), startsWith()) is left to the expression itself.
 */
export function parseCelTriggers(expression: string): { event?: string; branch?: string } {
  const collect = (name: string): string[] => {
    const values = new Set<string>();
    for (const match of expression.matchAll(
      new RegExp(`\\b${name}\\s*==\\s*["']([^"']+)["']`, 'g'),
    ))
      values.add(match[1]!);
    for (const match of expression.matchAll(
      new RegExp(`["']([^"']+)["']\\s*==\\s*${name}\\b`, 'g'),
    ))
      values.add(match[1]!);
    for (const match of expression.matchAll(
      new RegExp(`\\b${name}\\s+in\\s*\\[([^\\]]*)\\]`, 'g'),
    )) {
      for (const item of parseAnnotationList(match[1]!)) values.add(item);
    }
    return [...values];
  };
  const events = collect('event');
  const branches = collect('target_branch');
  const result: { event?: string; branch?: string } = {};
  if (events.length > 0) result.event = events.join(', ');
  if (branches.length > 0) result.branch = branches.join(', ');
  return result;
}

function paramValue(params: unknown, name: string): unknown {
  if (!Array.isArray(params)) return undefined;
  for (const param of params) {
    const record = asRecord(param);
    if (record?.['name'] === name) return record['value'];
  }
  return undefined;
}

/** Parse the PipelineRuns of one .tekton/ file (several YAML documents allowed); other kinds are skipped. */
export function parseTektonFile(
  file: string,
  text: string,
): { pipelines: PipelineRunInfo[]; problems: string[] } {
  const pipelines: PipelineRunInfo[] = [];
  const problems: string[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      problems.push(`${file}: ${document.errors[0]!.message.split('\n')[0]}`);
      continue;
    }
    const resource = asRecord(document.toJS());
    if (
      !resource ||
      resource['kind'] !== 'PipelineRun' ||
      !String(resource['apiVersion'] ?? '').startsWith('tekton.dev/')
    )
      continue;
    const metadata = asRecord(resource['metadata']) ?? {};
    const labels = asRecord(metadata['labels']) ?? {};
    const annotations = asRecord(metadata['annotations']) ?? {};
    const spec = asRecord(resource['spec']) ?? {};
    const info: PipelineRunInfo = {
      file,
      name: asString(metadata['name']) ?? asString(metadata['generateName']) ?? file,
      platforms: [],
    };
    const namespace = asString(metadata['namespace']);
    if (namespace) info.namespace = namespace;
    const application = asString(labels[APPLICATION_LABEL]);
    if (application) info.application = application;
    const component = asString(labels[COMPONENT_LABEL]);
    if (component) info.component = component;
    const cel = asString(annotations[CEL_ANNOTATION]);
    if (cel) {
      info.onCelExpression = cel.replace(/\s+/g, ' ');
      Object.assign(info, parseCelTriggers(cel));
    }
    const onEvent = asString(annotations[EVENT_ANNOTATION]);
    if (onEvent && !info.event) info.event = parseAnnotationList(onEvent).join(', ');
    const onBranch = asString(annotations[BRANCH_ANNOTATION]);
    if (onBranch && !info.branch) info.branch = parseAnnotationList(onBranch).join(', ');
    const outputImage = asString(paramValue(spec['params'], 'output-image'));
    if (outputImage) info.outputImage = outputImage;
    const platforms = paramValue(spec['params'], 'build-platforms');
    if (Array.isArray(platforms))
      info.platforms = platforms
        .filter((value): value is string => typeof value === 'string')
        .sort();
    else if (typeof platforms === 'string')
      info.platforms = platforms
        .split(/[\s,]+/)
        .filter(Boolean)
        .sort();
    pipelines.push(info);
  }
  return { pipelines, problems };
}

/**
 * The repository of an output image, without tag or digest:
 * "quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}" → "quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard".
 */
export function outputRepository(outputImage: string): string {
  let repository = outputImage.trim().split('@')[0]!;
  const slash = repository.lastIndexOf('/');
  const colon = repository.indexOf(':', slash + 1);
  if (colon >= 0) repository = repository.slice(0, colon);
  return repository.toLowerCase();
}

function lastSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).toLowerCase();
}

const KONFLUX_INTERMEDIATE = /^quay\.io\/konflux-fedora\/[^/]+\/([^/]+)$/;

/**
 * Link a PipelineRun to catalog images. Rules, tried in this order, and all explicit in the result:
 * - output-image: the output image's repository is a catalog image (or one of its mirrors);
 * - component-name: the Konflux component label equals the last path segment of an image of the
 *   repo's own subprojects (quay.io/bootc-devel/fedora-bootc-44-standard for component fedora-bootc-44-standard);
 * - konflux-intermediate: the output goes to quay.io/konflux-fedora/<tenant>/<name> (Konflux's
 *   intermediate repository, released elsewhere) and <name>, or <name> without the "-<branch>"
 *   suffix of the PipelineRun's target branch, is the last segment of an image of the repo's subprojects.
 * When a name rule matches several images, only the "ci" ones are kept (Konflux in Fedora releases
 * to development repositories such as quay.io/coreos-devel); if none of them is "ci", nothing is
 * linked, since the match is ambiguous.
 * Pull-request PipelineRuns build test images only and are never linked.
 */
export function linkPipelineToImages(
  pipeline: PipelineRunInfo,
  candidates: readonly CandidateImage[],
  repoSubprojects: readonly string[],
): ImageLink[] {
  if (pipeline.event !== undefined && !pipeline.event.split(', ').includes('push')) return [];
  const links = new Map<string, ImageLinkRule>();
  const output = pipeline.outputImage ? outputRepository(pipeline.outputImage) : undefined;
  if (output) {
    for (const image of candidates) {
      if (
        image.ref.toLowerCase() === output ||
        image.mirrors.some((mirror) => mirror.toLowerCase() === output)
      )
        links.set(image.ref, 'output-image');
    }
  }
  if (links.size > 0) return [...links].map(([image, rule]) => ({ image, rule }));
  const own = candidates.filter((image) => repoSubprojects.includes(image.subproject));
  const unambiguous = (matches: CandidateImage[]): CandidateImage[] => {
    if (matches.length <= 1) return matches;
    return matches.filter((image) => image.role === 'ci');
  };
  const component = pipeline.component?.toLowerCase();
  if (component) {
    for (const image of unambiguous(own.filter((image) => lastSegment(image.ref) === component)))
      links.set(image.ref, 'component-name');
  }
  const intermediate = output ? KONFLUX_INTERMEDIATE.exec(output)?.[1] : undefined;
  if (intermediate && links.size === 0) {
    const names = new Set([intermediate]);
    if (pipeline.branch && !pipeline.branch.includes(',')) {
      const suffix = `-${pipeline.branch.toLowerCase()}`;
      if (intermediate.endsWith(suffix)) names.add(intermediate.slice(0, -suffix.length));
    }
    for (const image of unambiguous(own.filter((image) => names.has(lastSegment(image.ref)))))
      links.set(image.ref, 'konflux-intermediate');
  }
  return [...links]
    .map(([image, rule]) => ({ image, rule }))
    .sort((a, b) => a.image.localeCompare(b.image));
}
