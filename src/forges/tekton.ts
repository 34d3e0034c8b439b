/**
 * Konflux pipelines: the PipelineRuns under .tekton/ (Pipelines as Code), which tell which repo and
 * branch build which image for which platforms, and how they link to the catalog's images.
 *
 * Pure: YAML text in, PipelineRun facts out.
 */
import { parseAllDocuments } from 'yaml';
import { celTriggers, parseCelTriggers, type CelTrigger } from './cel.ts';

export { parseCelTriggers } from './cel.ts';

/** What a PipelineRun tells about a build. */
export interface PipelineRunInfo {
  file: string;
  name: string;
  namespace?: string;
  /** "push", "pull_request" or "comment" (on-comment); several joined by ", ". */
  event?: string;
  /** Target branch, or several joined by ", " when the expression names more than one. */
  branch?: string;
  onCelExpression?: string;
  application?: string;
  component?: string;
  outputImage?: string;
  platforms: string[];
}

const APPLICATION_LABEL = 'appstudio.openshift.io/application';
const COMPONENT_LABEL = 'appstudio.openshift.io/component';
const CEL_ANNOTATION = 'pipelinesascode.tekton.dev/on-cel-expression';
const EVENT_ANNOTATION = 'pipelinesascode.tekton.dev/on-event';
const BRANCH_ANNOTATION = 'pipelinesascode.tekton.dev/on-target-branch';
const COMMENT_ANNOTATION = 'pipelinesascode.tekton.dev/on-comment';
const PIPELINE_ANNOTATION = 'pipelinesascode.tekton.dev/pipeline';
const REPO_ANNOTATION = 'build.appstudio.openshift.io/repo';

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

/** A target branch of a GitHub merge queue: pushes there test a merge, they do not build it. */
function isMergeQueueBranch(branch: string): boolean {
  return branch.replace(/^refs\/heads\//, '').startsWith('gh-readonly-queue/');
}

/**
 * Tell whether a PipelineRun builds on push, so that its output counts as a built image: some way
 * it triggers (a clause of its CEL expression, else its on-event and on-target-branch) is a push,
 * or any event, to a branch or tag that is not only a merge queue's. A run without a known event counts.
 */
export function buildsOnPush(
  run: Pick<PipelineRunInfo, 'event' | 'branch' | 'onCelExpression'>,
): boolean {
  const triggers: CelTrigger[] = run.onCelExpression
    ? celTriggers(run.onCelExpression)
    : [
        {
          ...(run.event ? { events: run.event.split(', ') } : {}),
          ...(run.branch ? { branches: run.branch.split(', ') } : {}),
        },
      ];
  return triggers.some(
    (trigger) =>
      (trigger.events === undefined || trigger.events.includes('push')) &&
      (trigger.branches === undefined || !trigger.branches.every(isMergeQueueBranch)),
  );
}

function paramValue(params: unknown, name: string, key: 'value' | 'default' = 'value'): unknown {
  if (!Array.isArray(params)) return undefined;
  for (const param of params) {
    const record = asRecord(param);
    if (record?.['name'] === name) return record[key];
  }
  return undefined;
}

/** A .tekton/ file of a repository: its path there and its text. */
export interface TektonSource {
  path: string;
  text: string;
}

/** A Pipeline document of a .tekton/ file. */
interface PipelineDefinition {
  file: string;
  name: string;
  spec: Record<string, unknown>;
}

/** Read the tekton.dev resources of a YAML text, each document once; documents with errors are reported. */
function readResources(text: string): { resources: Record<string, unknown>[]; errors: string[] } {
  const resources: Record<string, unknown>[] = [];
  const errors: string[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      errors.push(document.errors[0]!.message.split('\n')[0]!);
      continue;
    }
    const resource = asRecord(document.toJS());
    if (
      resource &&
      typeof resource['apiVersion'] === 'string' &&
      resource['apiVersion'].startsWith('tekton.dev/')
    )
      resources.push(resource);
  }
  return { resources, errors };
}

/** Read the Pipeline documents of .tekton/ files. */
function readPipelines(files: readonly TektonSource[]): PipelineDefinition[] {
  return files.flatMap((file) =>
    readResources(file.text)
      .resources.filter((resource) => resource['kind'] === 'Pipeline')
      .map((resource) => ({
        file: file.path,
        name: asString(asRecord(resource['metadata'])?.['name']) ?? '',
        spec: asRecord(resource['spec']) ?? {},
      })),
  );
}

/** Reduce a repository URL to compare it: lower case, without scheme, ".git", query or trailing slash. */
function sameRepository(a: string, b: string): boolean {
  const key = (url: string) =>
    url
      .trim()
      .toLowerCase()
      .replace(/^[a-z+]+:\/\//, '')
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  return key(a) === key(b);
}

/** A Pipelines-as-Code placeholder for the repository of the run, e.g. "{{ repo_url }}". */
const REPO_PLACEHOLDER = /^\{\{\s*(repo_url|source_url)\s*\}\}$/;

/**
 * Find the Pipeline a PipelineRun refers to in the repository's own .tekton/ files: `pipelineRef:
 * {name}` (Pipelines as Code resolves it among the .tekton/ Pipelines), a `git` resolver whose URL
 * is the run's own repository, or a `pipelinesascode.tekton.dev/pipeline` annotation with a path.
 */
function referencedPipeline(
  spec: Record<string, unknown>,
  annotations: Record<string, unknown>,
  pipelines: () => PipelineDefinition[],
): PipelineDefinition | undefined {
  const inFile = (path: string) => {
    const normalised = path.trim().replace(/^\.\//, '');
    return pipelines().find((pipeline) => pipeline.file === normalised);
  };
  const ref = asRecord(spec['pipelineRef']);
  const resolver = asString(ref?.['resolver']);
  if (ref && !resolver) {
    const name = asString(ref['name']);
    return name ? pipelines().find((pipeline) => pipeline.name === name) : undefined;
  }
  if (ref && resolver === 'git') {
    const params = ref['params'];
    const url = asString(paramValue(params, 'url'));
    const path = asString(paramValue(params, 'pathInRepo'));
    const ownRepo = asString(annotations[REPO_ANNOTATION]);
    const inRepo =
      url === undefined ||
      REPO_PLACEHOLDER.test(url) ||
      (ownRepo !== undefined && sameRepository(url, ownRepo));
    return inRepo && path ? inFile(path) : undefined;
  }
  const remote = asString(annotations[PIPELINE_ANNOTATION]);
  return remote && !/^[a-z]+:\/\//i.test(remote) ? inFile(remote) : undefined;
}

/** Split a platform list as written: a YAML list, or one string of names separated by spaces or commas. */
function platformList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(platformList);
  if (typeof value !== 'string') return [];
  return value.split(/[\s,]+/).filter(Boolean);
}

const PARAM_REFERENCE = /^\$\(params\.([A-Za-z0-9_.-]+?)(?:\[\*\])?\)$/;
const ARCHITECTURE_SUFFIX = /-(amd64|x86_64|arm64|aarch64|ppc64le|s390x)$/;

/**
 * The build platforms of a PipelineRun, in this order: its own `build-platforms` param; else the
 * `build-platforms` default of its pipeline (inline pipelineSpec or in-repo Pipeline); else the
 * PLATFORM params of the pipeline's tasks (literal, `$(params.x)` or a matrix), with a task that
 * builds an image named "…-<arch>" and has no PLATFORM counting for linux/<arch>.
 */
function buildPlatforms(
  runParams: unknown,
  pipelineSpec: Record<string, unknown> | undefined,
): string[] {
  const own = paramValue(runParams, 'build-platforms');
  if (own !== undefined) return platformList(own);
  if (!pipelineSpec) return [];
  const pipelineParams = pipelineSpec['params'];
  const valueOf = (name: string) =>
    paramValue(runParams, name) ?? paramValue(pipelineParams, name, 'default');
  const defaults = paramValue(pipelineParams, 'build-platforms', 'default');
  if (defaults !== undefined) return platformList(defaults);
  const resolve = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.flatMap(resolve);
    const reference = typeof value === 'string' ? PARAM_REFERENCE.exec(value.trim()) : null;
    return reference ? platformList(valueOf(reference[1]!)) : platformList(value);
  };
  const platforms: string[] = [];
  for (const task of [
    ...(Array.isArray(pipelineSpec['tasks']) ? (pipelineSpec['tasks'] as unknown[]) : []),
    ...(Array.isArray(pipelineSpec['finally']) ? (pipelineSpec['finally'] as unknown[]) : []),
  ]) {
    const record = asRecord(task) ?? {};
    const matrix = paramValue(asRecord(record['matrix'])?.['params'], 'PLATFORM');
    const platform = paramValue(record['params'], 'PLATFORM');
    if (matrix !== undefined) platforms.push(...resolve(matrix));
    else if (platform !== undefined) platforms.push(...resolve(platform));
    else {
      const image = asString(paramValue(record['params'], 'IMAGE'));
      const suffix = image ? ARCHITECTURE_SUFFIX.exec(image) : null;
      if (suffix) platforms.push(`linux/${suffix[1]}`);
    }
  }
  return platforms;
}

/**
 * Parse the PipelineRuns of one .tekton/ file (several YAML documents allowed); other kinds are
 * skipped. `files`, the repository's .tekton/ files, lets a run's pipelineRef be followed to a
 * Pipeline there for its platforms.
 */
export function parseTektonFile(
  file: string,
  text: string,
  files: readonly TektonSource[] = [],
): { pipelines: PipelineRunInfo[]; problems: string[] } {
  const pipelines: PipelineRunInfo[] = [];
  let definitions: PipelineDefinition[] | undefined;
  const repoPipelines = () => (definitions ??= readPipelines(files));
  const { resources, errors } = readResources(text);
  const problems = errors.map((error) => `${file}: ${error}`);
  for (const resource of resources) {
    if (resource['kind'] !== 'PipelineRun') continue;
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
    if (asString(annotations[COMMENT_ANNOTATION]) && !cel)
      info.event = [...(info.event ? [info.event] : []), 'comment'].join(', ');
    const onBranch = asString(annotations[BRANCH_ANNOTATION]);
    if (onBranch && !info.branch) info.branch = parseAnnotationList(onBranch).join(', ');
    const outputImage = asString(paramValue(spec['params'], 'output-image'));
    if (outputImage) info.outputImage = outputImage;
    const pipelineSpec =
      asRecord(spec['pipelineSpec']) ?? referencedPipeline(spec, annotations, repoPipelines)?.spec;
    info.platforms = [...new Set(buildPlatforms(spec['params'], pipelineSpec))].sort();
    pipelines.push(info);
  }
  return { pipelines, problems };
}
