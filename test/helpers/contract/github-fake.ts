// A stateful GitHub for contract tests, on top of the OpenAPI fake: repositories, pull requests, issues, comments,
// sub-issues and dependencies, answered from the spec's own examples with the fields that matter overridden, so every
// response is a documented shape. Requests need the token; `fail()` queues one-off errors (rate limits, 401…).
import { fileURLToPath } from 'node:url';
import type { ContractResponse } from './loopback.js';
import { startOpenApiFake, type OpenApiFake, type OperationRequest } from './openapi-server.js';

type Json = Record<string, unknown>;

export const GITHUB_DOC = fileURLToPath(
  new URL('../../fixtures/contracts/api.github.com.trimmed.json', import.meta.url),
);
export const GHES_DOC = fileURLToPath(
  new URL('../../fixtures/contracts/ghes-3.19.trimmed.json', import.meta.url),
);

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  pull?: { head: string; base: string; draft: boolean; merged: boolean; reviewers: string[] };
  comments: string[];
  parent?: number | undefined;
  blockedBy: number[];
}

export interface GitHubFakeOptions {
  token?: string;
  owner?: string;
  repo?: string;
  login?: string;
  /** `x-oauth-scopes` sent with every response (classic tokens); undefined sends none (fine-grained). */
  scopes?: string | undefined;
  /** Enterprise Server: its document, mounted under /api/v3, and 404 for what that release lacks. */
  enterprise?: boolean;
}

export interface GitHubFake {
  api: OpenApiFake;
  /** What `base_url` should be. */
  baseUrl: string;
  issues: FakeIssue[];
  repos: string[];
  /** The next request to `operationId` gets this response instead (validated like any other). */
  fail(operationId: string, response: ContractResponse): void;
  addIssue(fields: Partial<FakeIssue> & { title: string }): FakeIssue;
}

export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const token = options.token ?? 'ghp_test_token';
  const owner = options.owner ?? 'acme';
  const repoName = options.repo ?? 'api';
  const login = options.login ?? 'octocat';
  const api = await startOpenApiFake({
    document: options.enterprise ? GHES_DOC : GITHUB_DOC,
    basePath: options.enterprise ? '/api/v3' : '',
    undocumented: options.enterprise ? 'not-found' : 'violation',
    // GitHub documents auth and rate-limit answers once for the whole API, not per operation.
    globalResponses: { 401: 'basic-error', 403: 'basic-error', 429: 'basic-error' },
  });
  const issues: FakeIssue[] = [];
  const repos = [`${owner}/${repoName}`];
  const failures = new Map<string, ContractResponse[]>();
  let nextId = 1000;
  const web = api.origin;
  const headers: Record<string, string> =
    options.scopes !== undefined ? { 'x-oauth-scopes': options.scopes } : {};

  const addIssue = (fields: Partial<FakeIssue> & { title: string }): FakeIssue => {
    const issue: FakeIssue = {
      id: ++nextId,
      number: issues.length + 1,
      body: null,
      state: 'open',
      labels: [],
      assignees: [],
      comments: [],
      blockedBy: [],
      ...fields,
    };
    issues.push(issue);
    return issue;
  };
  const find = (n: unknown) => issues.find((i) => i.number === Number(n));
  const user = (name: string, _template?: Json) => simpleUser(name, web, api.url);
  const issueJson = (r: OperationRequest, issue: FakeIssue, template = r.example()): Json => {
    const json: Json = {
      ...template,
      id: issue.id,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
      assignees: issue.assignees.map((a) => user(a, template)),
      assignee: issue.assignees[0] ? user(issue.assignees[0], template) : null,
      html_url: `${web}/${owner}/${repoName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
      url: `${api.url}/repos/${owner}/${repoName}/issues/${issue.number}`,
      comments: issue.comments.length,
      closed_at: issue.state === 'closed' ? '2026-01-02T00:00:00Z' : null,
      state_reason: issue.state === 'closed' ? 'completed' : null,
    };
    if (issue.pull)
      json.pull_request = {
        url: `${api.url}/repos/${owner}/${repoName}/pulls/${issue.number}`,
        html_url: `${web}/${owner}/${repoName}/pull/${issue.number}`,
        diff_url: `${web}/${owner}/${repoName}/pull/${issue.number}.diff`,
        patch_url: `${web}/${owner}/${repoName}/pull/${issue.number}.patch`,
        merged_at: null,
      };
    else delete json.pull_request;
    if ('parent_issue_url' in template || !options.enterprise)
      json.parent_issue_url = issue.parent
        ? `${api.url}/repos/${owner}/${repoName}/issues/${issue.parent}`
        : null;
    if (!options.enterprise)
      json.issue_dependencies_summary = {
        blocked_by: issue.blockedBy.length,
        blocking: 0,
        total_blocked_by: issue.blockedBy.length,
        total_blocking: 0,
      };
    return json;
  };
  const pullJson = (r: OperationRequest, issue: FakeIssue, template: Json): Json => {
    const pull = issue.pull!;
    const side = (t: Json, ref: string) => ({ ...t, ref, label: `${owner}:${ref}` });
    return {
      ...template,
      id: issue.id,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      draft: pull.draft,
      merged_at: pull.merged ? '2026-01-02T00:00:00Z' : null,
      html_url: `${web}/${owner}/${repoName}/pull/${issue.number}`,
      url: `${api.url}/repos/${owner}/${repoName}/pulls/${issue.number}`,
      head: side(template.head as Json, pull.head),
      base: side(template.base as Json, pull.base),
      labels: issue.labels.map((name, i) => ({ ...((template.labels as Json[])[0] ?? {}), id: i + 1, name })),
      requested_reviewers: pull.reviewers.map((name) => user(name, template)),
      assignees: issue.assignees.map((a) => user(a, template)),
      assignee: issue.assignees[0] ? user(issue.assignees[0], template) : null,
    };
  };
  const notFound = (): ContractResponse => ({
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
  });
  const ok = (status: number, body: unknown): ContractResponse => ({ status, body, headers });
  const repoOk = (r: OperationRequest) =>
    repos.includes(`${String(r.params.owner)}/${String(r.params.repo)}`);

  type Handler = (r: OperationRequest) => ContractResponse;
  const on = (operationId: string, handler: Handler) =>
    api.handle(operationId, (r) => {
      const auth = String(r.headers.authorization ?? '');
      if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`)
        return {
          status: 401,
          body: {
            message: 'Bad credentials',
            documentation_url: 'https://docs.github.com/rest',
            status: '401',
          },
        };
      const queued = failures.get(operationId)?.shift();
      if (queued) return queued;
      if ('owner' in r.params && 'repo' in r.params && !repoOk(r)) return notFound();
      return handler(r);
    });

  on('users/get-authenticated', (r) => ok(200, { ...r.example(), login }));
  on('repos/get', (r) => {
    const template = r.example();
    return ok(200, {
      ...template,
      name: repoName,
      full_name: `${owner}/${repoName}`,
      owner: { ...(template.owner as Json), login: owner },
      html_url: `${web}/${owner}/${repoName}`,
      default_branch: 'main',
    });
  });
  const createRepo = (r: OperationRequest, account: string): ContractResponse => {
    const body = r.body as { name: string; private?: boolean };
    if (repos.includes(`${account}/${body.name}`))
      return ok(422, {
        message: 'Repository creation failed.',
        documentation_url: 'https://docs.github.com/rest',
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
      });
    repos.push(`${account}/${body.name}`);
    const template = r.example();
    return ok(201, {
      ...template,
      name: body.name,
      full_name: `${account}/${body.name}`,
      private: body.private ?? false,
      owner: { ...(template.owner as Json), login: account },
      html_url: `${web}/${account}/${body.name}`,
      clone_url: `${web}/${account}/${body.name}.git`,
      ssh_url: `git@127.0.0.1:${account}/${body.name}.git`,
      default_branch: 'main',
    });
  };
  on('repos/create-for-authenticated-user', (r) => createRepo(r, login));
  on('repos/create-in-org', (r) => createRepo(r, String(r.params.org)));

  on('pulls/list', (r) => {
    const template = (r.example() as unknown as Json[])[0]!;
    const head = typeof r.query.head === 'string' ? r.query.head.replace(/^[^:]+:/, '') : undefined;
    const state = (r.query.state as string | undefined) ?? 'open';
    const list = issues
      .filter((i) => i.pull && (!head || i.pull.head === head) && (state === 'all' || i.state === state))
      .reverse()
      .map((i) => pullJson(r, i, template));
    return ok(200, list);
  });
  on('pulls/create', (r) => {
    const body = r.body as { title: string; body?: string; head: string; base: string; draft?: boolean };
    if (issues.some((i) => i.pull?.head === body.head && i.state === 'open'))
      return ok(422, {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${body.head}.`,
          },
        ],
      });
    const issue = addIssue({
      title: body.title,
      body: body.body ?? null,
      pull: { head: body.head, base: body.base, draft: body.draft ?? false, merged: false, reviewers: [] },
    });
    return ok(201, pullJson(r, issue, r.example()));
  });
  on('pulls/update', (r) => {
    const issue = find(r.params.pull_number);
    if (!issue?.pull) return notFound();
    const body = r.body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
    if (body.title !== undefined) issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body;
    if (body.state) issue.state = body.state;
    if (body.base) issue.pull.base = body.base;
    return ok(200, pullJson(r, issue, r.example()));
  });
  on('pulls/request-reviewers', (r) => {
    const issue = find(r.params.pull_number);
    if (!issue?.pull) return notFound();
    const body = r.body as { reviewers?: string[]; team_reviewers?: string[] };
    issue.pull.reviewers.push(
      ...(body.reviewers ?? []),
      ...(body.team_reviewers ?? []).map((t) => `team:${t}`),
    );
    return ok(201, pullJson(r, issue, r.example()));
  });
  on('issues/add-labels', (r) => {
    const issue = find(r.params.issue_number);
    if (!issue) return notFound();
    const body = r.body as { labels: string[] } | string[];
    for (const label of Array.isArray(body) ? body : body.labels)
      if (!issue.labels.includes(label)) issue.labels.push(label);
    const template = (r.example() as unknown as Json[])[0]!;
    return ok(
      200,
      issue.labels.map((name, i) => ({ ...template, id: i + 1, name })),
    );
  });
  on('issues/add-assignees', (r) => {
    const issue = find(r.params.issue_number);
    if (!issue) return notFound();
    issue.assignees.push(...((r.body as { assignees?: string[] }).assignees ?? []));
    return ok(201, issueJson(r, issue));
  });
  on('issues/create-comment', (r) => {
    const issue = find(r.params.issue_number);
    if (!issue) return notFound();
    const body = (r.body as { body: string }).body;
    issue.comments.push(body);
    return ok(201, {
      ...r.example(),
      id: ++nextId,
      body,
      html_url: `${web}/${owner}/${repoName}/issues/${issue.number}#issuecomment-${nextId}`,
    });
  });
  on('issues/get', (r) => {
    const issue = find(r.params.issue_number);
    return issue ? ok(200, issueJson(r, issue)) : notFound();
  });
  on('issues/list-for-repo', (r) => {
    const template = (r.example() as unknown as Json[])[0]!;
    const state = (r.query.state as string | undefined) ?? 'open';
    const labels = typeof r.query.labels === 'string' ? r.query.labels.split(',').filter(Boolean) : [];
    const assignee = r.query.assignee as string | undefined;
    const perPage = Number(r.query.per_page ?? 30);
    const page = Number(r.query.page ?? 1);
    const all = issues
      .filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)))
      .filter((i) => (!assignee || assignee === '*' ? true : i.assignees.includes(assignee)))
      .reverse();
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const more = all.length > page * perPage;
    const link: Record<string, string> = more
      ? {
          link: `<${api.url}/repos/${owner}/${repoName}/issues?state=${state}&per_page=${perPage}&page=${page + 1}>; rel="next"`,
        }
      : {};
    return {
      status: 200,
      body: slice.map((i) => issueJson(r, i, template)),
      headers: { ...headers, ...link },
    };
  });
  on('issues/create', (r) => {
    const body = r.body as { title: string; body?: string; labels?: string[]; assignees?: string[] };
    const issue = addIssue({
      title: body.title,
      body: body.body ?? null,
      labels: body.labels ?? [],
      assignees: body.assignees ?? [],
    });
    return ok(201, issueJson(r, issue));
  });
  on('issues/update', (r) => {
    const issue = find(r.params.issue_number);
    if (!issue) return notFound();
    const body = r.body as { title?: string; body?: string; state?: 'open' | 'closed'; labels?: string[] };
    if (body.title !== undefined) issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body;
    if (body.state) issue.state = body.state;
    if (body.labels) issue.labels = body.labels;
    return ok(200, issueJson(r, issue));
  });
  const byId = (id: unknown) => issues.find((i) => i.id === Number(id));
  if (!options.enterprise) {
    on('issues/add-sub-issue', (r) => {
      const parent = find(r.params.issue_number);
      const child = byId((r.body as { sub_issue_id: number }).sub_issue_id);
      if (!parent || !child) return notFound();
      child.parent = parent.number;
      return ok(201, issueJson(r, parent));
    });
    on('issues/get-parent', (r) => {
      const parent = find(find(r.params.issue_number)?.parent);
      return parent ? ok(200, issueJson(r, parent)) : notFound();
    });
    on('issues/list-sub-issues', (r) => {
      const template = (r.example() as unknown as Json[])[0]!;
      return ok(
        200,
        issues
          .filter((i) => i.parent === Number(r.params.issue_number))
          .map((i) => issueJson(r, i, template)),
      );
    });
  }
  on('issues/add-blocked-by-dependency', (r) => {
    const issue = find(r.params.issue_number);
    const blocker = byId((r.body as { issue_id: number }).issue_id);
    if (!issue || !blocker) return notFound();
    if (!issue.blockedBy.includes(blocker.number)) issue.blockedBy.push(blocker.number);
    return ok(201, issueJson(r, issue));
  });
  on('issues/list-dependencies-blocked-by', (r) => {
    const issue = find(r.params.issue_number);
    if (!issue) return notFound();
    const template = (r.example() as unknown as Json[])[0]!;
    return ok(
      200,
      issue.blockedBy.map((n) => issueJson(r, find(n)!, template)),
    );
  });

  return {
    api,
    baseUrl: api.url,
    issues,
    repos,
    addIssue,
    fail(operationId, response) {
      const queue = failures.get(operationId) ?? [];
      queue.push(response);
      failures.set(operationId, queue);
    },
  };
}

/** A complete `simple-user` (the examples' users are sometimes null or partial). */
function simpleUser(login: string, web: string, api: string): Json {
  const url = `${api}/users/${login}`;
  return {
    login,
    id: login.length * 1000 + login.charCodeAt(0),
    node_id: `U_${login}`,
    avatar_url: `${web}/avatars/${login}`,
    gravatar_id: '',
    url,
    html_url: `${web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  };
}
