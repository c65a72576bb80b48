// vcs.github against GitHub's published OpenAPI contract (trimmed from @octokit/openapi): every request the real
// Octokit sends and every answer the fake gives is validated; a mismatch fails the test.
import { describe, expect, it } from 'vitest';
import { githubVcsConfigSchema } from '../../providers/vcs/github/config.js';
import { GithubVcs } from '../../providers/vcs/github/github-vcs.js';
import { AidevError } from '../../src/core/errors.js';
import { startGitHubFake, type GitHubFake } from '../helpers/contract/github-fake.js';
import { providerContext } from '../helpers/provider-context.js';
import { git, tempRepo } from '../helpers/temp.js';

const TOKEN = 'ghp_test_token';

function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return {
    lines,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

function vcs(fake: GitHubFake, settings: Record<string, unknown> = {}, repoDir?: string) {
  const dir = repoDir ?? tempRepo().dir;
  const { lines, logger } = recordingLogger();
  const ctx = {
    ...providerContext(
      githubVcsConfigSchema.parse({ base_url: fake.baseUrl, owner: 'acme', repo: 'api', ...settings }),
      {
        repoRoot: dir,
        path: 'vcs.github',
      },
    ),
    logger,
  };
  return { github: new GithubVcs(ctx, { token: TOKEN, pacing: false }), lines, dir };
}

async function rejection(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('vcs.github against the GitHub OpenAPI contract', () => {
  it('opens a pull request with labels, reviewers and assignees from config and input', async () => {
    const fake = await startGitHubFake();
    const { github } = vcs(fake, { labels: ['aidev'], reviewers: ['alice', 'acme/backend'], draft: true });
    const pr = await github.openPullRequest({
      title: 'AUTH-1: Add login',
      body: 'Adds login',
      head: 'feature/AUTH-1',
      base: 'main',
      labels: ['auth'],
      assignees: ['bob'],
    });
    expect(pr).toMatchObject({ number: 1, state: 'open', head: 'feature/AUTH-1', base: 'main', draft: true });
    expect(pr.url).toBe(`${fake.api.origin}/acme/api/pull/1`);
    const [created] = fake.api.calls('pulls/create');
    expect(created!.body).toEqual({
      title: 'AUTH-1: Add login',
      body: 'Adds login',
      head: 'feature/AUTH-1',
      base: 'main',
      draft: true,
    });
    expect(fake.issues[0]).toMatchObject({ labels: ['aidev', 'auth'], assignees: ['bob'] });
    expect(fake.issues[0]!.pull!.reviewers).toEqual(['alice', 'team:backend']);
    expect(fake.api.calls('pulls/request-reviewers')[0]!.body).toEqual({
      reviewers: ['alice'],
      team_reviewers: ['backend'],
    });
  });

  it('finds the PR by head branch and updates it on a re-run instead of opening a second', async () => {
    const fake = await startGitHubFake();
    const { github } = vcs(fake);
    expect(await github.findPullRequest({ head: 'feature/AUTH-1' })).toBeNull();
    const first = await github.openPullRequest({
      title: 'v1',
      body: 'one',
      head: 'feature/AUTH-1',
      base: 'main',
    });
    const found = await github.findPullRequest({ head: 'feature/AUTH-1' });
    expect(found).toMatchObject({ number: first.number, state: 'open', title: 'v1' });
    expect(fake.api.calls('pulls/list')[1]!.query.get('head')).toBe('acme:feature/AUTH-1');
    const updated = await github.updatePullRequest(found!, { title: 'v2', body: 'two' });
    expect(updated).toMatchObject({ number: first.number, title: 'v2' });
    // A second open for the same head (a crash after GitHub created it) lands on the same PR: GitHub's 422 is recovered.
    const again = await github.openPullRequest({
      title: 'v3',
      body: 'three',
      head: 'feature/AUTH-1',
      base: 'main',
    });
    expect(again.number).toBe(first.number);
    expect(fake.issues.filter((i) => i.pull)).toHaveLength(1);
    expect(fake.issues[0]).toMatchObject({ title: 'v3', body: 'three' });
  });

  it('comments on and closes a PR; a closed PR is still found, as closed', async () => {
    const fake = await startGitHubFake();
    const { github } = vcs(fake);
    const pr = await github.openPullRequest({ title: 't', body: 'b', head: 'fix/x', base: 'main' });
    await github.commentOnPullRequest(pr, 'Checks passed');
    await github.closePullRequest(pr);
    expect(fake.issues[0]).toMatchObject({ state: 'closed', comments: ['Checks passed'] });
    expect(await github.findPullRequest({ head: 'fix/x' })).toMatchObject({ state: 'closed' });
  });

  it('reads the PR template and the repository', async () => {
    const fake = await startGitHubFake();
    const { dir } = tempRepo({
      files: { '.github/pull_request_template.md': '## Checklist\n- [ ] tests\n' },
    });
    const { github } = vcs(fake, {}, dir);
    expect(await github.pullRequestTemplate(dir)).toBe('## Checklist\n- [ ] tests\n');
    expect(await github.repoInfo()).toMatchObject({
      name: 'acme/api',
      defaultBranch: 'main',
      webUrl: `${fake.api.origin}/acme/api`,
    });
  });

  it('takes owner/repo from the git remote when not configured (https, ssh, scp-like)', async () => {
    for (const url of [
      'https://github.com/acme/api.git',
      'ssh://git@github.com/acme/api',
      'git@github.com:acme/api.git',
    ]) {
      const fake = await startGitHubFake();
      const { dir } = tempRepo();
      git(dir, 'remote', 'add', 'origin', url);
      const { github } = vcs(fake, { owner: undefined, repo: undefined }, dir);
      expect((await github.repoInfo()).name).toBe('acme/api');
      expect(fake.api.calls('repos/get')[0]!.path).toBe('/repos/acme/api');
    }
  });

  it('says to configure owner/repo when there is no remote', async () => {
    const fake = await startGitHubFake();
    const { github } = vcs(fake, { owner: undefined, repo: undefined });
    const error = await rejection(github.repoInfo());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('vcs.github: no owner/repo configured');
    expect(error.hint).toContain('set vcs.github.owner and vcs.github.repo');
  });

  it('works against GitHub Enterprise Server through base_url (its own contract, under /api/v3)', async () => {
    const fake = await startGitHubFake({ enterprise: true });
    expect(fake.baseUrl).toMatch(/\/api\/v3$/);
    const { github } = vcs(fake);
    const pr = await github.openPullRequest({
      title: 't',
      body: 'b',
      head: 'feature/x',
      base: 'main',
      labels: ['l'],
    });
    expect(pr.number).toBe(1);
    expect(fake.api.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
  });

  it('maps 401, 403 (missing scope), 404 and 422 to errors with hints', async () => {
    const fake = await startGitHubFake();
    const wrongToken = new GithubVcs(
      providerContext(githubVcsConfigSchema.parse({ base_url: fake.baseUrl, owner: 'acme', repo: 'api' }), {
        repoRoot: tempRepo().dir,
        path: 'vcs.github',
      }),
      { token: 'nope', pacing: false },
    );
    const unauthorized = await rejection(wrongToken.repoInfo());
    expect(unauthorized.message).toBe(
      'GitHub: cannot read the repository acme/api: the token was refused (401 Bad credentials)',
    );
    expect(unauthorized.hint).toContain('GITHUB_TOKEN (or GH_TOKEN, or vcs.github.token)');

    const { github } = vcs(fake);
    fake.fail('pulls/create', {
      status: 403,
      body: {
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/rest',
      },
      headers: { 'x-accepted-oauth-scopes': 'repo', 'x-oauth-scopes': 'read:org' },
    });
    const scope = await rejection(github.openPullRequest({ title: 't', body: '', head: 'a', base: 'main' }));
    expect(scope.message).toContain('the token lacks the scope repo (it has: read:org)');
    expect(scope.hint).toContain('Pull requests: write');

    const missing = vcs(fake, { repo: 'nope' }).github;
    const notFound = await rejection(missing.repoInfo());
    expect(notFound.message).toContain('the repository acme/nope was not found (404)');
    expect(notFound.hint).toContain('vcs.github.owner/repo');

    fake.fail('pulls/create', {
      status: 422,
      body: {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'Draft pull requests are not supported in this repository.',
          },
        ],
      },
    });
    const draft = await rejection(
      github.openPullRequest({ title: 't', body: '', head: 'a', base: 'main', draft: true }),
    );
    expect(draft.message).toContain('422 Validation Failed: Draft pull requests are not supported');
    expect(draft.hint).toBe('set vcs.github.draft: false (or vcs.draft: false)');
  });

  it('honours a secondary rate limit (403 + Retry-After) and a 429, then succeeds', async () => {
    const fake = await startGitHubFake();
    const { github, lines } = vcs(fake);
    fake.fail('pulls/create', {
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest',
      },
      headers: { 'retry-after': '1' },
    });
    fake.fail('repos/get', {
      status: 429,
      body: { message: 'API rate limit exceeded' },
      headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' },
    });
    const pr = await github.openPullRequest({ title: 't', body: '', head: 'a', base: 'main' });
    expect(pr.number).toBe(1);
    expect(fake.api.calls('pulls/create')).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.stringMatching(/secondary rate limit on POST .*: retrying in 1s \(retry 1 of 2\)/),
    );
    expect((await github.repoInfo()).name).toBe('acme/api');
    expect(fake.api.calls('repos/get')).toHaveLength(2);
  });

  it('reports a rate limit whose wait is too long instead of sleeping through it', async () => {
    const fake = await startGitHubFake();
    const { github } = vcs(fake);
    fake.fail('pulls/create', {
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit.',
        documentation_url: 'https://docs.github.com/rest',
      },
      headers: { 'retry-after': '3600' },
    });
    const error = await rejection(github.openPullRequest({ title: 't', body: '', head: 'a', base: 'main' }));
    expect(error.message).toContain('rate limited (403');
    expect(error.hint).toContain('try again in 3600s');
    expect(fake.api.calls('pulls/create')).toHaveLength(1);
  });

  it('creates repositories for the user or an organization, and says when the name is taken', async () => {
    const fake = await startGitHubFake({ login: 'octocat' });
    const { github } = vcs(fake);
    expect(await github.createRepository({ name: 'new-app' })).toMatchObject({
      name: 'octocat/new-app',
      defaultBranch: 'main',
    });
    expect(fake.api.calls('repos/create-for-authenticated-user')[0]!.body).toEqual({
      name: 'new-app',
      private: true,
    });
    expect(
      (await github.createRepository({ name: 'svc', owner: 'acme', private: false, description: 'd' })).name,
    ).toBe('acme/svc');
    expect(fake.api.calls('repos/create-in-org')[0]!.path).toBe('/orgs/acme/repos');
    const taken = await rejection(github.createRepository({ name: 'svc', owner: 'acme' }));
    expect(taken.message).toContain('name already exists on this account');
    expect(taken.hint).toContain('pick another repository name');
  });

  it('checks authentication and the token scopes', async () => {
    const classic = await startGitHubFake({ scopes: 'repo, read:org' });
    expect(await vcs(classic).github.checkAuth()).toMatchObject({ ok: true, identity: 'octocat' });
    const narrow = await startGitHubFake({ scopes: 'read:org' });
    expect(await vcs(narrow).github.checkAuth()).toMatchObject({
      ok: false,
      hint: expect.stringContaining('repo scope'),
    });
    const fineGrained = await startGitHubFake();
    expect((await vcs(fineGrained).github.checkAuth()).detail).toContain('fine-grained');
  });
});
