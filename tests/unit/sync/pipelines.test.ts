import { describe, expect, it } from 'vitest';
import type { CandidateImage } from '../../../src/catalog/model.ts';
import { linkPipelineToImages, outputRepository } from '../../../src/sync/pipelines.ts';

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

  it('does not link a pull-request PipelineRun that also runs on merge-queue pushes', () => {
    const onCelExpression =
      '(event == "pull_request" && target_branch == "main") || (event == "push" && target_branch.startsWith("gh-readonly-queue/main/"))';
    expect(
      linkPipelineToImages(
        {
          ...base,
          event: 'pull_request, push',
          branch: 'main, gh-readonly-queue/main/*',
          onCelExpression,
          component: 'fedora-bootc-44-standard',
        },
        images,
        ['bootc-base-images'],
      ),
    ).toEqual([]);
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
