import { describe, expect, it } from 'vitest';
import { parseCelTriggers, parseTektonFile } from '../../../src/forges/tekton.ts';

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
  it('returns nothing for an expression without equality tests', () => {
    expect(parseCelTriggers('"Containerfile".pathChanged()')).toEqual({});
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

  it('reports a YAML error with the file name instead of throwing', () => {
    const { pipelines, problems } = parseTektonFile(
      '.tekton/broken.yaml',
      'kind: PipelineRun\nmetadata: [unclosed\n',
    );
    expect(pipelines).toEqual([]);
    expect(problems[0]).toMatch(/^\.tekton\/broken\.yaml: /);
  });
});
