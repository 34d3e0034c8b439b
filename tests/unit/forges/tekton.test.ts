import { describe, expect, it } from 'vitest';
import { buildsOnPush, parseCelTriggers, parseTektonFile } from '../../../src/forges/tekton.ts';

const BASE_IMAGES_PUSH = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  annotations:
    build.appstudio.openshift.io/repo: https://gitlab.com/fedora/bootc/base-images/-/tree/{{revision}}
    pipelinesascode.tekton.dev/max-keep-runs: "3"
    pipelinesascode.tekton.dev/on-cel-expression: |
      (
        (event == "push" && target_branch == "main")
      ) && (
        ".tekton/fedora-bootc-44-standard-push.yaml".pathChanged() ||
        "standard/***".pathChanged()
      )
  labels:
    appstudio.openshift.io/application: fedora-bootc-44
    appstudio.openshift.io/component: fedora-bootc-44-standard
    pipelines.appstudio.openshift.io/type: build
  name: fedora-bootc-44-standard-on-push
spec:
  params:
  - name: git-url
    value: '{{source_url}}'
  - name: build-platforms
    value:
    - linux/s390x
    - linux/amd64
    - linux/arm64
    - linux/ppc64le
  - name: output-image
    value: quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}
`;

describe('parseCelTriggers', () => {
  it('reads event and branch from a plain expression', () => {
    expect(parseCelTriggers('event == "push" && target_branch == "main"')).toEqual({
      event: 'push',
      branch: 'main',
    });
  });
  it('reads a folded multi-line expression with pathChanged() calls', () => {
    expect(
      parseCelTriggers(
        'event == "push" && target_branch\n  == "testing-devel" && ! "./tests/***".pathChanged()',
      ),
    ).toEqual({ event: 'push', branch: 'testing-devel' });
  });
  it('joins several branches and reads `in [...]` lists', () => {
    expect(
      parseCelTriggers(
        'event in ["pull_request"] && (target_branch == "main" || target_branch == "f44")',
      ),
    ).toEqual({ event: 'pull_request', branch: 'main, f44' });
  });
  it('reads a merge-queue clause as a push to the queue branches, not to the target branch', () => {
    expect(
      parseCelTriggers(
        `(event == "pull_request" && target_branch == "main" && (!has(body.pull_request) || !body.pull_request.draft))
        || (event == "push" && target_branch.startsWith("gh-readonly-queue/main/") && body.head_commit != "null")`,
      ),
    ).toEqual({ event: 'pull_request, push', branch: 'main, gh-readonly-queue/main/*' });
  });
  it('reads no constraint from a negated test or a test inside a call', () => {
    expect(
      parseCelTriggers(
        'event == "push" && !target_branch.startsWith("gh-readonly-queue/") && files.all.exists(x, !x.startsWith(".tekton/"))',
      ),
    ).toEqual({ event: 'push' });
    expect(parseCelTriggers('!(event == "pull_request") && target_branch == "main"')).toEqual({
      branch: 'main',
    });
  });
  it('returns nothing for an expression without equality tests', () => {
    expect(parseCelTriggers('"Containerfile".pathChanged()')).toEqual({});
  });
});

describe('buildsOnPush', () => {
  const cel = (onCelExpression: string) => ({
    ...parseCelTriggers(onCelExpression),
    onCelExpression,
  });
  it('counts a push to a branch, to tags, or a run without a known event', () => {
    expect(buildsOnPush(cel('event == "push" && target_branch == "main"'))).toBe(true);
    expect(buildsOnPush({ event: 'push', branch: 'refs/tags/*' })).toBe(true);
    expect(buildsOnPush({ event: 'push, pull_request', branch: '*' })).toBe(true);
    expect(buildsOnPush(cel('"Containerfile".pathChanged()'))).toBe(true);
    expect(buildsOnPush({})).toBe(true);
  });
  it('does not count pull requests, comments, or pushes to a merge queue only', () => {
    expect(buildsOnPush(cel('event == "pull_request" && target_branch == "main"'))).toBe(false);
    expect(buildsOnPush({ event: 'comment' })).toBe(false);
    expect(
      buildsOnPush(
        cel(
          '(event == "pull_request" && target_branch == "main") || (event == "push" && target_branch.startsWith("gh-readonly-queue/main/"))',
        ),
      ),
    ).toBe(false);
    expect(buildsOnPush({ event: 'push', branch: 'gh-readonly-queue/*' })).toBe(false);
  });
});

describe('parseTektonFile', () => {
  it('reads labels, the CEL trigger, output image and platforms of a base-images PipelineRun', () => {
    const { pipelines, problems } = parseTektonFile(
      '.tekton/fedora-bootc-44-standard-push.yaml',
      BASE_IMAGES_PUSH,
    );
    expect(problems).toEqual([]);
    expect(pipelines).toEqual([
      {
        file: '.tekton/fedora-bootc-44-standard-push.yaml',
        name: 'fedora-bootc-44-standard-on-push',
        application: 'fedora-bootc-44',
        component: 'fedora-bootc-44-standard',
        event: 'push',
        branch: 'main',
        onCelExpression: expect.stringContaining('(event == "push" && target_branch == "main")'),
        outputImage: 'quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}',
        platforms: ['linux/amd64', 'linux/arm64', 'linux/ppc64le', 'linux/s390x'],
      },
    ]);
  });

  it('reads several documents, on-event/on-target-branch annotations, and skips other kinds', () => {
    const text = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: iot-on-pull-request
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  params:
  - name: output-image
    value: quay.io/konflux-fedora/iot-tenant/fedora-iot:on-pr-{{revision}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-pipeline
`;
    const { pipelines } = parseTektonFile('.tekton/iot.yaml', text);
    expect(pipelines.map((run) => [run.name, run.event, run.branch])).toEqual([
      ['iot-on-pull-request', 'pull_request', 'main'],
    ]);
  });

  it('reads an on-comment PipelineRun as triggered by a comment', () => {
    const text = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: chatops
  annotations:
    pipelinesascode.tekton.dev/on-comment: "^/(help|lgtm)"
spec: {}
`;
    expect(parseTektonFile('.tekton/chatops.yaml', text).pipelines[0]?.event).toBe('comment');
  });

  it('reports a YAML error with the file name instead of throwing', () => {
    const { pipelines, problems } = parseTektonFile(
      '.tekton/broken.yaml',
      'kind: PipelineRun\nmetadata: [unclosed\n',
    );
    expect(pipelines).toEqual([]);
    expect(problems[0]).toMatch(/^\.tekton\/broken\.yaml: /);
  });
});

/** A PipelineRun of a Konflux-style repository with the given spec (YAML, indented by two). */
function pipelineRun(name: string, spec: string, annotations = ''): string {
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
  annotations:
    pipelinesascode.tekton.dev/on-cel-expression: event == "push" && target_branch == "main"
    build.appstudio.openshift.io/repo: https://github.com/example/app?rev={{revision}}
${annotations}spec:
${spec}`;
}

describe('parseTektonFile platforms', () => {
  const platformsOf = (text: string, files: { path: string; text: string }[] = []) =>
    parseTektonFile('.tekton/run.yaml', text, files).pipelines.map((run) => run.platforms);

  it('reads the build-platforms default of an inline pipelineSpec, which a matrix uses', () => {
    const text = pipelineRun(
      'app-on-push',
      `  params:
  - name: output-image
    value: quay.io/example/app:{{revision}}
  pipelineSpec:
    params:
    - name: build-platforms
      type: array
      default:
      - linux/x86_64
      - linux/arm64
    tasks:
    - name: build-images
      matrix:
        params:
        - name: PLATFORM
          value:
          - $(params.build-platforms)
`,
    );
    expect(platformsOf(text)).toEqual([['linux/arm64', 'linux/x86_64']]);
  });

  it('prefers the PipelineRun value of build-platforms to the pipelineSpec default', () => {
    const text = pipelineRun(
      'app-on-push',
      `  params:
  - name: build-platforms
    value: [linux/s390x]
  pipelineSpec:
    params:
    - name: build-platforms
      default: [linux/x86_64]
`,
    );
    expect(platformsOf(text)).toEqual([['linux/s390x']]);
  });

  it('reads per-task PLATFORM params, and the architecture suffix of a task image without one', () => {
    const text = pipelineRun(
      'app-on-push',
      `  pipelineSpec:
    tasks:
    - name: build-amd64
      params:
      - name: IMAGE
        value: $(params.output-image)-amd64
    - name: build-arm64
      params:
      - name: IMAGE
        value: $(params.output-image)-arm64
      - name: PLATFORM
        value: linux/arm64
    - name: build-s390x
      params:
      - name: PLATFORM
        value: $(params.s390x-platform)
    - name: build-index
      params:
      - name: IMAGE
        value: $(params.output-image)
    params:
    - name: s390x-platform
      default: linux/s390x
`,
    );
    expect(platformsOf(text)).toEqual([['linux/amd64', 'linux/arm64', 'linux/s390x']]);
  });

  const OSTREE_PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ostree-build
spec:
  tasks:
  - name: build-amd64
    params:
    - name: PLATFORM
      value: linux/amd64
  - name: build-ppc64le
    params:
    - name: PLATFORM
      value: linux/ppc64le
`;

  it('follows a pipelineRef by name to a Pipeline in another .tekton file', () => {
    const run = pipelineRun('os-on-push', '  pipelineRef:\n    name: ostree-build\n');
    const files = [
      { path: '.tekton/ostree-build.yaml', text: OSTREE_PIPELINE },
      { path: '.tekton/run.yaml', text: run },
    ];
    expect(platformsOf(run, files)).toEqual([['linux/amd64', 'linux/ppc64le']]);
    expect(platformsOf(run)).toEqual([[]]);
  });

  it('follows a git-resolver pipelineRef into the same repository only', () => {
    const gitRef = (url: string) =>
      pipelineRun(
        'os-on-push',
        `  pipelineRef:
    resolver: git
    params:
    - name: url
      value: ${url}
    - name: revision
      value: main
    - name: pathInRepo
      value: .tekton/ostree-build.yaml
`,
      );
    const files = [{ path: '.tekton/ostree-build.yaml', text: OSTREE_PIPELINE }];
    expect(platformsOf(gitRef('"{{ repo_url }}"'), files)).toEqual([
      ['linux/amd64', 'linux/ppc64le'],
    ]);
    expect(platformsOf(gitRef('https://github.com/Example/app.git'), files)).toEqual([
      ['linux/amd64', 'linux/ppc64le'],
    ]);
    expect(platformsOf(gitRef('https://github.com/other/pipelines'), files)).toEqual([[]]);
  });
});
