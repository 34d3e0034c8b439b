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

/**
 * Tell whether a PipelineRun builds on push, so that its output counts as a built image: a run
 * without a known event counts, a run whose events do not include "push" does not.
 */
export function buildsOnPush(run: Pick<PipelineRunInfo, 'event'>): boolean {
  return run.event === undefined || run.event.split(', ').includes('push');
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
