// GitLab contract: the fake validates every request vcs.gitlab sends and every answer it gives against the document
// derived from @gitbeaker/core's types; the provider's behaviour (MRs, idempotent re-open, nested groups, project
// creation, errors with hints, rate limits, the https push credential) holds against it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deriveOpenApi,
  installedVersion,
  type DeriveManifest,
} from '../../scripts/contracts/derive-openapi.js';
import { gitlabVcsConfigSchema, type GitlabVcsConfig } from '../../providers/vcs/gitlab/config.js';
import { GitlabVcs } from '../../providers/vcs/gitlab/gitlab-vcs.js';
import { gitlabVcsProvider } from '../../providers/vcs/gitlab/index.js';
import { AidevError } from '../../src/core/errors.js';
import { GITLAB_DOC, startGitlabFake } from '../helpers/contract/gitlab-fake.js';
import { providerContext } from '../helpers/provider-context.js';
import { gitEnvForTests, makeRepo, type TempRepo } from './run-fixtures.js';

const TOKEN = 'glpat-test-token';
const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repoWithRemote(url: string): TempRepo {
  const r = makeRepo({ 'README.md': '# api\n' }, { remote: false });
  repos.push(r);
  r.git('remote', 'add', 'origin', url);
  return r;
}

async function setup(
  settings: Partial<GitlabVcsConfig> = {},
  remote = 'git@gitlab.com:acme/platform/api.git',
) {
  const fake = await startGitlabFake({ token: TOKEN });
  const repo = repoWithRemote(remote);
  const parsed = gitlabVcsConfigSchema.parse({ base_url: fake.baseUrl, ...settings });
  const ctx = providerContext(parsed, {
    repoRoot: repo.root,
    env: { GITLAB_TOKEN: TOKEN },
    path: 'vcs.gitlab',
  });
  return { fake, repo, gitlab: new GitlabVcs(ctx, { token: TOKEN }) };
}

async function caught(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

const input = { title: 'TASK-1: trim slugs', body: 'Trims input.', head: 'feature/TASK-1', base: 'main' };

describe('the GitLab contract document', () => {
  it('is derived from the installed @gitbeaker/core, and regenerates byte for byte', () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/contracts/gitlab.derive.json'), 'utf8'),
    ) as DeriveManifest;
    const committed = JSON.parse(readFileSync(GITLAB_DOC, 'utf8')) as {
      info: { 'x-packages': Record<string, string> };
    };
    expect(committed.info['x-packages']['@gitbeaker/core']).toBe(installedVersion('@gitbeaker/core'));
    // On an SDK bump: node --import tsx scripts/contracts/derive-openapi.ts test/fixtures/contracts/gitlab.derive.json
    expect(deriveOpenApi(manifest)).toEqual(committed);
  }, 60_000);

  it('makes the fake reject a request the contract does not allow', async () => {
    const { fake } = await setup();
    const response = await fetch(`${fake.baseUrl}/api/v4/projects/1/merge_requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'private-token': TOKEN },
      body: JSON.stringify({ source_branch: 'x', target_branch: 'main', title: 't', draft: true }),
    });
    expect(response.status).toBe(404);
    expect(fake.api.violations).toEqual([
      expect.stringContaining('request body must NOT have additional properties'),
    ]);
    fake.api.violations.length = 0; // seen on purpose; the fake would fail the test on close
  });
});

describe('vcs.gitlab merge requests', () => {
  it('opens a draft MR with labels, reviewers and assignees as ids, on the nested-group project from the remote', async () => {
    const { fake, gitlab } = await setup({ labels: ['aidev'], reviewers: ['alice'], assignees: ['@bob'] });
    const pr = await gitlab.openPullRequest({
      ...input,
      draft: true,
      labels: ['bug'],
      reviewers: ['nobody'],
    });
    expect(pr).toMatchObject({ number: 1, state: 'open', head: input.head, base: 'main', draft: true });
    expect(pr.url).toBe(`${fake.api.origin}/acme/platform/api/-/merge_requests/1`);
    expect(fake.mergeRequests).toEqual([
      expect.objectContaining({
        project: 'acme/platform/api',
        title: 'Draft: TASK-1: trim slugs',
        description: 'Trims input.',
        labels: ['aidev', 'bug'],
        reviewerIds: [7],
        assigneeIds: [8],
        removeSourceBranch: true,
      }),
    ]);
    // The project path went over the wire URL-encoded, as one path parameter.
    expect(fake.api.calls('MergeRequests.create')[0]!.path).toBe(
      '/api/v4/projects/acme%2Fplatform%2Fapi/merge_requests',
    );
  });

  it('finds the MR by source branch, updates it on a second open instead of opening another, comments and closes', async () => {
    const { fake, gitlab } = await setup();
    expect(await gitlab.findPullRequest({ head: input.head })).toBeNull();
    const first = await gitlab.openPullRequest(input);
    const again = await gitlab.openPullRequest({ ...input, body: 'Second run.' });
    expect(again.url).toBe(first.url);
    expect(fake.mergeRequests).toHaveLength(1);
    expect(fake.mergeRequests[0]!.description).toBe('Second run.');
    expect(fake.api.calls('MergeRequests.create').map((c) => c.status)).toEqual([201, 409]);
    const found = await gitlab.findPullRequest({ head: input.head });
    expect(found).toMatchObject({ url: first.url, state: 'open' });
    await gitlab.commentOnPullRequest(found!, 'Checks passed.');
    expect(fake.mergeRequests[0]!.notes).toEqual(['Checks passed.']);
    await gitlab.closePullRequest(found!);
    expect(await gitlab.findPullRequest({ head: input.head })).toMatchObject({ state: 'closed' });
  });

  it('reads the project and its default branch, and GitLab’s own MR template first', async () => {
    const { gitlab, repo } = await setup({}, 'https://gitlab.com/acme/platform/api.git');
    expect(await gitlab.repoInfo()).toMatchObject({ name: 'acme/platform/api', defaultBranch: 'main' });
    repo.write('.github/pull_request_template.md', 'github template');
    expect(await gitlab.pullRequestTemplate(repo.root)).toBe('github template');
    repo.write('.gitlab/merge_request_templates/Default.md', '## Checklist\n');
    expect(await gitlab.pullRequestTemplate(repo.root)).toBe('## Checklist\n');
  });

  it('says how to configure the project when the remote does not name one', async () => {
    const { gitlab } = await setup({}, '/srv/git/api.git');
    const error = await caught(gitlab.repoInfo());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.hint).toContain('vcs.gitlab.project');
  });

  it('creates a project in a group, in the user namespace, and names the taken field on a duplicate', async () => {
    const { fake, gitlab } = await setup();
    const inGroup = await gitlab.createRepository({
      name: 'svc',
      owner: 'acme/platform',
      description: 'new',
    });
    expect(inGroup).toMatchObject({ name: 'acme/platform/svc', defaultBranch: 'main' });
    expect(inGroup.cloneUrl).toBe(`${fake.api.origin}/acme/platform/svc.git`);
    expect(fake.api.calls('Projects.create')[0]!.body).toMatchObject({
      namespace_id: 101,
      visibility: 'private',
    });
    expect((await gitlab.createRepository({ name: 'mine' })).name).toBe('aidev-bot/mine');
    const error = await caught(gitlab.createRepository({ name: 'svc', owner: 'acme/platform' }));
    expect(error.message).toContain('name has already been taken');
    expect(error.hint).toContain('name');
    const missing = await caught(gitlab.createRepository({ name: 'x', owner: 'nope' }));
    expect(missing.message).toContain('the group or user nope was not found');
  });
});

describe('vcs.gitlab errors and rate limits', () => {
  it('401: names GITLAB_TOKEN; checkAuth reports it without throwing', async () => {
    const { fake, gitlab } = await setup();
    fake.fail('Projects.show', { status: 401, body: { message: '401 Unauthorized' } });
    const error = await caught(gitlab.repoInfo());
    expect(error.message).toContain('token was refused');
    expect(error.hint).toContain('GITLAB_TOKEN (or vcs.gitlab.token)');
    fake.fail('Users.showCurrentUser', { status: 401, body: { message: '401 Unauthorized' } });
    expect(await gitlab.checkAuth()).toMatchObject({ ok: false, identity: null });
    expect(await gitlab.checkAuth()).toMatchObject({ ok: true, identity: 'aidev-bot' });
  });

  it('403: names the scope GitLab says is missing', async () => {
    const { fake, gitlab } = await setup();
    fake.fail('MergeRequests.create', {
      status: 403,
      body: {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges.',
        scope: 'api',
      },
    });
    const error = await caught(gitlab.openPullRequest(input));
    expect(error.message).toContain('lacks the api scope');
    expect(error.hint).toContain('api scope');
  });

  it('404: points at the project setting', async () => {
    const { gitlab } = await setup({ project: 'acme/nothing' });
    const error = await caught(gitlab.findPullRequest({ head: 'x' }));
    expect(error.message).toContain('the project acme/nothing was not found');
    expect(error.hint).toContain('vcs.gitlab.project');
  });

  it('400/422: names the field GitLab refused', async () => {
    const { fake, gitlab } = await setup();
    fake.fail('MergeRequests.create', { status: 422, body: { message: { target_branch: ['is invalid'] } } });
    const error = await caught(gitlab.openPullRequest(input));
    expect(error.message).toContain('target_branch is invalid');
    expect(error.hint).toBe('fix target_branch and retry');
  });

  it('429: waits as GitLab asks, then succeeds; a wait over the cap is reported at once', async () => {
    const { fake, gitlab } = await setup();
    fake.fail('Projects.show', {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { message: 'Retry later' },
    });
    expect((await gitlab.repoInfo()).name).toBe('acme/platform/api');
    expect(fake.api.calls('Projects.show').map((c) => c.status)).toEqual([429, 200]);
    fake.fail('Projects.show', {
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { message: 'Retry later' },
    });
    const error = await caught(gitlab.repoInfo());
    expect(error.hint).toContain('wait 3600s');
    expect(fake.api.calls('Projects.show')).toHaveLength(3);
  });

  it('a missing token fails at create with the variable named', async () => {
    const ctx = providerContext(gitlabVcsConfigSchema.parse({}), {
      repoRoot: '/tmp',
      env: {},
      path: 'vcs.gitlab',
    });
    expect((await caught(gitlabVcsProvider.create(ctx))).code).toBe('ENV_MISSING');
  });
});

describe('vcs.gitlab push', () => {
  it('gives the token to an https-style remote on its host through the helper only: not in the URL, config or argv', async () => {
    // A git smart-HTTP endpoint that asks for credentials and records what git sends back.
    const seen: { url: string; auth: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (!req.headers.authorization)
        res.writeHead(401, { 'www-authenticate': 'Basic realm="GitLab"' }).end();
      else res.writeHead(403).end('denied by the test');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const remote = `http://127.0.0.1:${port}/acme/platform/api.git`;
      const repo = repoWithRemote(remote);
      const settings = gitlabVcsConfigSchema.parse({ base_url: `http://127.0.0.1:${port}` });
      const ctx = providerContext(settings, { repoRoot: repo.root, env: gitEnvForTests, path: 'vcs.gitlab' });
      const gitlab = new GitlabVcs(ctx, { token: TOKEN });
      const error = await caught(gitlab.pushBranch({ cwd: repo.root, branch: 'main' }));
      expect(error.code).toBe('GIT_ERROR');
      expect(error.message).not.toContain(TOKEN);
      const sent = seen.find((s) => s.auth)?.auth ?? '';
      expect(Buffer.from(sent.replace(/^Basic /, ''), 'base64').toString()).toBe(`oauth2:${TOKEN}`);
      expect(seen.every((s) => !s.url.includes(TOKEN))).toBe(true);
      expect(
        execFileSync('git', ['config', '--list', '--show-origin'], { cwd: repo.root, encoding: 'utf8' }),
      ).not.toContain(TOKEN);
      expect(repo.git('remote', 'get-url', 'origin').trim()).toBe(remote);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('does not give the token to a remote on another host, and pushes to a local bare remote as it is', async () => {
    const repo = makeRepo({ 'README.md': '# x\n' });
    repos.push(repo);
    const settings = gitlabVcsConfigSchema.parse({ base_url: 'https://gitlab.example.com' });
    const ctx = providerContext(settings, { repoRoot: repo.root, env: gitEnvForTests, path: 'vcs.gitlab' });
    const gitlab = new GitlabVcs(ctx, { token: TOKEN });
    repo.git('checkout', '-q', '-b', 'feature/x');
    await expect(gitlab.pushBranch({ cwd: repo.root, branch: 'feature/x' })).resolves.toEqual({
      remote: 'origin',
      ref: 'refs/heads/feature/x',
    });
    expect(execFileSync('git', ['branch', '--list'], { cwd: repo.remote!, encoding: 'utf8' })).toContain(
      'feature/x',
    );
  });
});
