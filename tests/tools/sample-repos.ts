/**
 * `npm run snapshot:sample-repos`: write the committed sample content/snapshot/repos.json and
 * audit.json. Nothing reaches the real forges here: a local forge server answers with fixture
 * repositories shaped like the real ones (tests/fixtures/forges/sample.ts), the sync runs on the
 * real catalog against it on the sample clock (SAMPLE_NOW), and the files say `sample: true`. The
 * sync starts from an empty snapshot folder, so nothing of an earlier run is kept.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_DIR } from '../../src/catalog/load.ts';
import { runReposStep } from '../../src/sync/repos-step.ts';
import { DEFAULT_SNAPSHOT_DIR, SNAPSHOT_FILES } from '../../src/snapshot/io.ts';
import { startForgeServer } from '../helpers/forge-server.ts';
import { SAMPLE_NOW, sampleRepos } from '../fixtures/forges/sample.ts';

const { values } = parseArgs({
  options: {
    catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
    snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
  },
});

const server = await startForgeServer(sampleRepos());
const workDir = await mkdtemp(join(tmpdir(), 'sample-repos-'));
try {
  const { repos } = await runReposStep({
    catalogDir: values.catalog,
    snapshotDir: workDir,
    // Only the local server's endpoints: no token from this shell is read or sent.
    env: {
      GITHUB_API_URL: server.githubApiUrl,
      GITHUB_TOKEN: 'sample',
      GITLAB_API_URL: server.gitlabApiUrl,
      FORGEJO_API_URL: server.forgejoApiUrl,
      IMAGE_MODE_FORGES: `pagure.io=${server.pagureApiUrl},src.fedoraproject.org=${server.pagureApiUrl}`,
    },
    cacheFile: join(workDir, 'etags.json'),
    now: () => SAMPLE_NOW,
    sample: {
      note: "Sample data: read from a local fixture forge shaped like the real repositories (CODEOWNERS files, .tekton PipelineRuns of base-images and fedora-coreos-config), not from GitHub, GitLab, Forgejo or pagure. Owners are made-up handles (sample-maintainer-N, sample-team-X), not real people; each good first issue is a sample entry linking to the repository's real label search; dates are made up. Run `npm run sync -- --steps repos` with network access for real data.",
    },
  });
  for (const file of [SNAPSHOT_FILES.repos, SNAPSHOT_FILES.audit])
    await copyFile(join(workDir, file), join(values.snapshot, file));
  console.log(
    `${repos.repos.length} repositories, ${server.requests.length} requests to the fixture forge; wrote ${values.snapshot}.`,
  );
} finally {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
}
