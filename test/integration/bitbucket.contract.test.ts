// Bitbucket contract: the fake validates every request vcs.bitbucket sends and every answer it gives against the
// document derived from the `bitbucket` package's types; PRs, default reviewers, pagination, idempotent re-open,
// repository creation, errors with hints and rate limits hold against it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deriveOpenApi,
  installedVersion,
  type DeriveManifest,
} from '../../scripts/contracts/derive-openapi.js';
import { BitbucketVcs } from '../../providers/vcs/bitbucket/bitbucket-vcs.js';
import { bitbucketVcsConfigSchema, type BitbucketVcsConfig } from '../../providers/vcs/bitbucket/config.js';
import { bitbucketVcsProvider } from '../../providers/vcs/bitbucket/index.js';
import { AidevError } from '../../src/core/errors.js';
import { BITBUCKET_DOC, startBitbucketFake } from '../helpers/contract/bitbucket-fake.js';
import { providerContext } from '../helpers/provider-context.js';
import { makeRepo, type TempRepo } from './run-fixtures.js';

const TOKEN = 'bb-test-token';
const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

async function setup(settings: Partial<BitbucketVcsConfig> = {}, remote = 'git@bitbucket.org:acme/api.git') {
  const fake = await startBitbucketFake({ token: TOKEN });
  const repo = makeRepo({ 'README.md': '# api\n' }, { remote: false });
  repos.push(repo);
  repo.git('remote', 'add', 'origin', remote);
  const parsed = bitbucketVcsConfigSchema.parse({ base_url: fake.baseUrl, ...settings });
  const ctx = providerContext(parsed, { repoRoot: repo.root, path: 'vcs.bitbucket' });
  return { fake, repo, bitbucket: new BitbucketVcs(ctx, { token: TOKEN }) };
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

describe('the Bitbucket contract document', () => {
  it('is derived from the installed bitbucket package, and regenerates byte for byte', () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/contracts/bitbucket.derive.json'), 'utf8'),
    ) as DeriveManifest;
    const committed = JSON.parse(readFileSync(BITBUCKET_DOC, 'utf8')) as {
      info: { 'x-packages': Record<string, string> };
    };
    expect(committed.info['x-packages'].bitbucket).toBe(installedVersion('bitbucket'));
    // On a package bump: node --import tsx scripts/contracts/derive-openapi.ts test/fixtures/contracts/bitbucket.derive.json
    expect(deriveOpenApi(manifest)).toEqual(committed);
  }, 60_000);

  it('makes the fake reject a pull request without its source', async () => {
    const { fake } = await setup();
    await fetch(`${fake.baseUrl}/repositories/acme/api/pullrequests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ type: 'pullrequest', title: 'no source' }),
    });
    expect(fake.api.violations).toEqual([expect.stringContaining("must have required property 'source'")]);
    fake.api.violations.length = 0; // seen on purpose, and the fake's 201 for it does not matter here
  });
});

describe('vcs.bitbucket pull requests', () => {
  it('opens a PR with the configured and default reviewers (not the author), from the remote workspace/repo', async () => {
    const { fake, bitbucket } = await setup({ reviewers: ['{22222222-2222-2222-2222-222222222222}'] });
    const pr = await bitbucket.openPullRequest({ ...input, draft: true });
    expect(pr).toMatchObject({ number: 1, state: 'open', head: input.head, base: 'main', draft: true });
    expect(pr.url).toBe(`${fake.api.origin}/acme/api/pull-requests/1`);
    expect(fake.pullRequests[0]).toMatchObject({
      title: input.title,
      description: 'Trims input.',
      closeSourceBranch: true,
      reviewers: ['{22222222-2222-2222-2222-222222222222}', '{11111111-1111-1111-1111-111111111111}'],
    });
  });

  it('a second open for the same branch updates the open PR; find, comment and decline work', async () => {
    const { fake, bitbucket } = await setup({ default_reviewers: false });
    expect(await bitbucket.findPullRequest({ head: input.head })).toBeNull();
    const first = await bitbucket.openPullRequest(input);
    const again = await bitbucket.openPullRequest({ ...input, body: 'Second run.' });
    expect(again.url).toBe(first.url);
    expect(fake.pullRequests).toHaveLength(1);
    expect(fake.pullRequests[0]!.description).toBe('Second run.');
    expect(fake.api.calls('pullrequests.create')).toHaveLength(1);
    await bitbucket.commentOnPullRequest(first, 'Checks passed.');
    expect(fake.pullRequests[0]!.comments).toEqual(['Checks passed.']);
    await bitbucket.closePullRequest(first);
    expect(await bitbucket.findPullRequest({ head: input.head })).toMatchObject({
      state: 'closed',
      url: first.url,
    });
  });

  it('follows next links across pages when looking for a PR', async () => {
    const { fake, bitbucket } = await setup({ default_reviewers: false });
    fake.maxPagelen = 1;
    for (const head of ['other/a', 'other/b', input.head]) {
      fake.pullRequests.push({
        id: fake.pullRequests.length + 1,
        repo: 'acme/api',
        title: head,
        description: '',
        source: head,
        destination: 'main',
        state: 'DECLINED',
        reviewers: [],
        closeSourceBranch: false,
        draft: false,
        comments: [],
      });
    }
    // The fake filters by q; pages are forced by a page size of one with two declined PRs for the branch.
    fake.pullRequests.push({ ...fake.pullRequests[2]!, id: 4, title: 'older' });
    const found = await bitbucket.findPullRequest({ head: input.head });
    expect(found).toMatchObject({ state: 'closed', head: input.head });
    const pages = fake.api.calls('pullrequests.list').filter((c) => c.query.get('state') === 'DECLINED');
    expect(pages.map((c) => c.query.get('page') ?? '1')).toEqual(['1', '2']);
  });

  it('reads the repository, creates one in a workspace, and names the field on a duplicate', async () => {
    const { fake, bitbucket } = await setup();
    expect(await bitbucket.repoInfo()).toMatchObject({ name: 'acme/api', defaultBranch: 'main' });
    const created = await bitbucket.createRepository({ name: 'New Svc', owner: 'acme', description: 'x' });
    expect(created).toMatchObject({ name: 'acme/new-svc', cloneUrl: `${fake.api.origin}/acme/new-svc.git` });
    expect(fake.api.calls('repositories.create')[0]!.body).toMatchObject({ scm: 'git', is_private: true });
    expect((await bitbucket.createRepository({ name: 'mine' })).name).toBe('aidev-bot/mine');
    const dup = await caught(bitbucket.createRepository({ name: 'new-svc', owner: 'acme' }));
    expect(dup.hint).toBe('fix name and retry');
  });

  it('takes the workspace and slug from an https remote with a user part', async () => {
    const { bitbucket, fake } = await setup({}, 'https://someone@bitbucket.org/acme/api.git');
    await bitbucket.repoInfo();
    expect(fake.api.calls('repositories.get')[0]!.path).toBe('/2.0/repositories/acme/api');
  });
});

describe('vcs.bitbucket errors and rate limits', () => {
  it('401: names the variables; checkAuth reports without throwing', async () => {
    const { fake, bitbucket } = await setup();
    fake.fail('repositories.get', {
      status: 401,
      body: { type: 'error', error: { message: 'Unauthorized' } },
    });
    const error = await caught(bitbucket.repoInfo());
    expect(error.hint).toContain('BITBUCKET_TOKEN (or BITBUCKET_USERNAME + BITBUCKET_APP_PASSWORD)');
    fake.fail('users.getAuthedUser', {
      status: 401,
      body: { type: 'error', error: { message: 'Unauthorized' } },
    });
    expect(await bitbucket.checkAuth()).toMatchObject({ ok: false });
    expect(await bitbucket.checkAuth()).toMatchObject({ ok: true, identity: 'aidev-bot' });
  });

  it('403: names the scopes Bitbucket says are required', async () => {
    const { fake, bitbucket } = await setup({ default_reviewers: false });
    fake.fail('pullrequests.create', {
      status: 403,
      body: {
        type: 'error',
        error: {
          message: 'Your credentials lack one or more required privilege scopes.',
          detail: 'required: pullrequest:write',
        },
      },
    });
    const error = await caught(bitbucket.openPullRequest(input));
    expect(error.hint).toContain('pullrequest:write');
  });

  it('404: points at workspace and repo', async () => {
    const { bitbucket } = await setup({ workspace: 'acme', repo: 'nope' });
    const error = await caught(bitbucket.repoInfo());
    expect(error.message).toContain('the repository acme/nope was not found');
    expect(error.hint).toContain('vcs.bitbucket.workspace and vcs.bitbucket.repo');
  });

  it('429: retries after the wait, then reports a wait over the cap', async () => {
    const { fake, bitbucket } = await setup();
    const limited = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { type: 'error', error: { message: 'Rate limit exceeded' } },
    };
    fake.fail('repositories.get', limited);
    expect((await bitbucket.repoInfo()).name).toBe('acme/api');
    fake.fail('repositories.get', { ...limited, headers: { 'retry-after': '7200' } });
    expect((await caught(bitbucket.repoInfo())).hint).toContain('wait 7200s');
  });

  it('works with an app password, and fails at create without any credential', async () => {
    const fake = await startBitbucketFake({ basic: { username: 'me', password: 'app-pw' } });
    const settings = bitbucketVcsConfigSchema.parse({
      base_url: fake.baseUrl,
      workspace: 'acme',
      repo: 'api',
    });
    const env = { BITBUCKET_USERNAME: 'me', BITBUCKET_APP_PASSWORD: 'app-pw' };
    const vcs = await bitbucketVcsProvider.create(
      providerContext(settings, { repoRoot: '/tmp', env, path: 'vcs.bitbucket' }),
    );
    expect((await vcs.repoInfo()).name).toBe('acme/api');
    const none = await caught(
      bitbucketVcsProvider.create(
        providerContext(settings, { repoRoot: '/tmp', env: {}, path: 'vcs.bitbucket' }),
      ),
    );
    expect(none.code).toBe('ENV_MISSING');
    expect(none.hint).toContain('BITBUCKET_TOKEN');
  });
});
