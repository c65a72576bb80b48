// A stateful Bitbucket Cloud for contract tests, on the OpenAPI fake driven by the document derived from the
// `bitbucket` package's types: repositories, pull requests (paginated by `next` links, filtered by `q` on the source
// branch), comments, effective default reviewers and the current user. Requests need the bearer token or the app
// password; `fail()` queues one-off errors.
import { fileURLToPath } from 'node:url';
import type { ContractResponse } from './loopback.js';
import { startOpenApiFake, type OpenApiFake, type OperationRequest } from './openapi-server.js';

type Json = Record<string, unknown>;

export const BITBUCKET_DOC = fileURLToPath(
  new URL('../../fixtures/contracts/bitbucket.derived.json', import.meta.url),
);

export interface FakePullRequest {
  id: number;
  repo: string;
  title: string;
  description: string;
  source: string;
  destination: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED';
  reviewers: string[];
  closeSourceBranch: boolean;
  draft: boolean;
  comments: string[];
}

export interface BitbucketFake {
  api: OpenApiFake;
  /** What `base_url` should be. */
  baseUrl: string;
  repos: Map<string, { mainbranch: string }>;
  pullRequests: FakePullRequest[];
  defaultReviewers: string[];
  me: { uuid: string; username: string };
  /** Largest page the fake serves (the real API caps pagelen at 50). */
  maxPagelen: number;
  fail(operationId: string, response: ContractResponse): void;
  /** Runs `fn` after the fake has acted on the next `operationId` request, before it answers (a client killed mid-call). */
  after(operationId: string, fn: () => void): void;
}

export async function startBitbucketFake(
  options: { token?: string; basic?: { username: string; password: string } } = {},
): Promise<BitbucketFake> {
  const expected = options.basic
    ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`
    : `Bearer ${options.token ?? 'bb-test-token'}`;
  const api = await startOpenApiFake({ document: BITBUCKET_DOC, basePath: '/2.0' });
  const failures = new Map<string, ContractResponse[]>();
  const afters = new Map<string, () => void>();
  const fake: BitbucketFake = {
    api,
    baseUrl: api.url,
    repos: new Map([['acme/api', { mainbranch: 'main' }]]),
    pullRequests: [],
    defaultReviewers: ['{11111111-1111-1111-1111-111111111111}'],
    me: { uuid: '{99999999-9999-9999-9999-999999999999}', username: 'aidev-bot' },
    maxPagelen: 50,
    fail(operationId, response) {
      failures.set(operationId, [...(failures.get(operationId) ?? []), response]);
    },
    after(operationId, fn) {
      afters.set(operationId, fn);
    },
  };
  const web = (path: string) => `${api.origin}/${path}`;
  const repoKey = (r: OperationRequest) => `${String(r.params.workspace)}/${String(r.params.repo_slug)}`;
  const account = (uuid: string): Json => ({
    type: 'user',
    uuid,
    display_name: uuid === fake.me.uuid ? 'aidev bot' : 'Reviewer',
  });
  const prBody = (pr: FakePullRequest): Json => ({
    type: 'pullrequest',
    id: pr.id,
    title: pr.title,
    description: pr.description,
    state: pr.state,
    source: { branch: { name: pr.source } },
    destination: { branch: { name: pr.destination } },
    reviewers: pr.reviewers.map(account),
    close_source_branch: pr.closeSourceBranch,
    author: account(fake.me.uuid),
    links: { html: { href: web(`${pr.repo}/pull-requests/${pr.id}`) } },
    ...(pr.draft ? { draft: true } : {}),
  });
  const repoBody = (key: string): Json => ({
    type: 'repository',
    full_name: key,
    is_private: true,
    scm: 'git',
    mainbranch: { type: 'branch', name: fake.repos.get(key)!.mainbranch },
    links: {
      html: { href: web(key) },
      clone: [
        { name: 'https', href: `${web(key)}.git` },
        { name: 'ssh', href: `git@127.0.0.1:${key}.git` },
      ],
    },
  });
  const error = (status: number, message: string, extra: Json = {}): ContractResponse => ({
    status,
    body: { type: 'error', error: { message, ...extra } },
  });
  const guard =
    (operationId: string, handler: (r: OperationRequest) => ContractResponse) =>
    (r: OperationRequest): ContractResponse => {
      const queued = failures.get(operationId);
      if (queued?.length) return queued.shift()!;
      if (r.headers.authorization !== expected) return error(401, 'Unauthorized');
      const response = handler(r);
      const fn = afters.get(operationId);
      afters.delete(operationId);
      fn?.();
      return response;
    };
  const withRepo =
    (handler: (r: OperationRequest, key: string) => ContractResponse) => (r: OperationRequest) =>
      fake.repos.has(repoKey(r)) ? handler(r, repoKey(r)) : error(404, `Repository ${repoKey(r)} not found`);
  const prOf = (r: OperationRequest, key: string) =>
    fake.pullRequests.find((p) => p.repo === key && p.id === r.params.pull_request_id);

  api
    .handle(
      'users.getAuthedUser',
      guard('users.getAuthedUser', () => ({
        status: 200,
        body: { ...account(fake.me.uuid), username: fake.me.username },
      })),
    )
    .handle(
      'repositories.get',
      guard(
        'repositories.get',
        withRepo((_r, key) => ({ status: 200, body: repoBody(key) })),
      ),
    )
    .handle(
      'repositories.create',
      guard('repositories.create', (r) => {
        const key = repoKey(r);
        if (!['acme', fake.me.username].includes(String(r.params.workspace)))
          return error(404, `Workspace ${String(r.params.workspace)} not found`);
        if (fake.repos.has(key))
          return error(400, 'Repository with this Slug and Owner already exists.', {
            fields: { name: ['Repository with this Slug and Owner already exists.'] },
          });
        fake.repos.set(key, { mainbranch: 'main' });
        return { status: 200, body: repoBody(key) };
      }),
    )
    .handle(
      'pullrequests.list',
      guard(
        'pullrequests.list',
        withRepo((r, key) => {
          const branch = /^source\.branch\.name="(.*)"$/.exec((r.query.q as string | undefined) ?? '')?.[1];
          const state = (r.query.state as string | undefined) ?? 'OPEN';
          const all = fake.pullRequests
            .filter((p) => p.repo === key && p.state === state && (!branch || p.source === branch))
            .sort((a, b) => b.id - a.id);
          const pagelen = Math.min(Number(r.query.pagelen ?? 10), fake.maxPagelen);
          const page = Number(r.query.page ?? 1);
          const values = all.slice((page - 1) * pagelen, page * pagelen);
          const next = new URL(`${api.url}/repositories/${key}/pullrequests`);
          for (const [k, v] of Object.entries({ ...r.query, page: page + 1 }))
            next.searchParams.set(k, String(v));
          return {
            status: 200,
            body: {
              pagelen,
              page,
              size: all.length,
              values: values.map(prBody),
              ...(page * pagelen < all.length ? { next: next.href } : {}),
            },
          };
        }),
      ),
    )
    .handle(
      'pullrequests.create',
      guard(
        'pullrequests.create',
        withRepo((r, key) => {
          const b = r.body as {
            title: string;
            description?: string;
            source?: { branch?: { name?: string } };
            destination?: { branch?: { name?: string } };
            reviewers?: { uuid?: string }[];
            close_source_branch?: boolean;
            draft?: boolean;
          };
          const reviewers = (b.reviewers ?? []).map((x) => x.uuid ?? '');
          if (reviewers.includes(fake.me.uuid))
            return error(400, 'aidev bot is the author and cannot be included as a reviewer.', {
              fields: { reviewers: ['author'] },
            });
          const pr: FakePullRequest = {
            id: fake.pullRequests.filter((p) => p.repo === key).length + 1,
            repo: key,
            title: b.title,
            description: b.description ?? '',
            source: b.source?.branch?.name ?? '',
            destination: b.destination?.branch?.name ?? fake.repos.get(key)!.mainbranch,
            state: 'OPEN',
            reviewers,
            closeSourceBranch: b.close_source_branch ?? false,
            draft: b.draft ?? false,
            comments: [],
          };
          fake.pullRequests.push(pr);
          return { status: 201, body: prBody(pr) };
        }),
      ),
    )
    .handle(
      'pullrequests.update',
      guard(
        'pullrequests.update',
        withRepo((r, key) => {
          const pr = prOf(r, key);
          if (!pr) return error(404, 'Pull request not found');
          const b = r.body as {
            title?: string;
            description?: string;
            destination?: { branch?: { name?: string } };
          };
          if (b.title !== undefined) pr.title = b.title;
          if (b.description !== undefined) pr.description = b.description;
          if (b.destination?.branch?.name) pr.destination = b.destination.branch.name;
          return { status: 200, body: prBody(pr) };
        }),
      ),
    )
    .handle(
      'pullrequests.decline',
      guard(
        'pullrequests.decline',
        withRepo((r, key) => {
          const pr = prOf(r, key);
          if (!pr) return error(404, 'Pull request not found');
          pr.state = 'DECLINED';
          return { status: 200, body: prBody(pr) };
        }),
      ),
    )
    .handle(
      'pullrequests.createComment',
      guard(
        'pullrequests.createComment',
        withRepo((r, key) => {
          const pr = prOf(r, key);
          if (!pr) return error(404, 'Pull request not found');
          pr.comments.push(String((r.body as { content?: { raw?: string } }).content?.raw ?? ''));
          return {
            status: 201,
            body: {
              type: 'pullrequest_comment',
              id: pr.comments.length,
              content: { raw: pr.comments.at(-1) },
            },
          };
        }),
      ),
    )
    .handle(
      'pullrequests.listEffectiveDefaultReviewers',
      guard(
        'pullrequests.listEffectiveDefaultReviewers',
        withRepo(() => ({
          status: 200,
          body: {
            pagelen: 50,
            values: [...fake.defaultReviewers, fake.me.uuid].map((uuid) => ({
              type: 'default_reviewer_and_type',
              reviewer_type: 'repository',
              user: account(uuid),
            })),
          },
        })),
      ),
    );
  return fake;
}
