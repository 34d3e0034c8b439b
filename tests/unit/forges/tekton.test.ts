import { describe, expect, it } from 'vitest';
import {
  linkPipelineToImages,
  outputRepository,
  parseCelTriggers,
  parseTektonFile,
  type CandidateImage,
} from '../../../src/forges/tekton.ts';

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

describe('outputRepository', () => {
  it('strips the tag, a {{revision}} placeholder and a digest', () => {
    expect(
      outputRepository('quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}'),
    ).toBe('quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard');
    expect(outputRepository('localhost:5000/a/b@sha256:abcd')).toBe('localhost:5000/a/b');
    expect(outputRepository('quay.io/fedora/fedora-coreos')).toBe('quay.io/fedora/fedora-coreos');
  });
});

describe('linkPipelineToImages', () => {
  const images: CandidateImage[] = [
    {
      ref: 'quay.io/fedora/fedora-bootc',
      mirrors: ['registry.fedoraproject.org/fedora-bootc'],
      subproject: 'bootc-base-images',
      role: 'base',
    },
    {
      ref: 'quay.io/bootc-devel/fedora-bootc-44-standard',
      mirrors: [],
      subproject: 'bootc-base-images',
      role: 'ci',
    },
    {
      ref: 'quay.io/fedora/fedora-coreos',
      mirrors: [],
      subproject: 'fedora-coreos',
      role: 'variant',
    },
    {
      ref: 'quay.io/coreos-devel/fedora-coreos',
      mirrors: [],
      subproject: 'fedora-coreos',
      role: 'ci',
    },
  ];
  const base = { file: '.tekton/x.yaml', name: 'x', platforms: [] };

  it('links by output image when it is a catalog image or mirror', () => {
    expect(
      linkPipelineToImages(
        { ...base, event: 'push', outputImage: 'registry.fedoraproject.org/fedora-bootc:44' },
        images,
        [],
      ),
    ).toEqual([{ image: 'quay.io/fedora/fedora-bootc', rule: 'output-image' }]);
  });

  it('links a base-images component to the bootc-devel image of the same name', () => {
    const run = {
      ...base,
      event: 'push',
      component: 'fedora-bootc-44-standard',
      outputImage: 'quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}',
    };
    expect(linkPipelineToImages(run, images, ['bootc-base-images'])).toEqual([
      { image: 'quay.io/bootc-devel/fedora-bootc-44-standard', rule: 'component-name' },
    ]);
    expect(linkPipelineToImages(run, images, ['fedora-coreos'])).toEqual([]);
  });

  it('links a Konflux intermediate named after the stream to the ci image only', () => {
    const run = {
      ...base,
      event: 'push',
      branch: 'testing-devel',
      component: 'fedora-coreos-testing-devel',
      outputImage: 'quay.io/konflux-fedora/coreos-tenant/fedora-coreos-testing-devel:{{revision}}',
    };
    expect(linkPipelineToImages(run, images, ['fedora-coreos'])).toEqual([
      { image: 'quay.io/coreos-devel/fedora-coreos', rule: 'konflux-intermediate' },
    ]);
  });

  it('never links pull-request PipelineRuns', () => {
    expect(
      linkPipelineToImages(
        { ...base, event: 'pull_request', component: 'fedora-bootc-44-standard' },
        images,
        ['bootc-base-images'],
      ),
    ).toEqual([]);
  });
});
