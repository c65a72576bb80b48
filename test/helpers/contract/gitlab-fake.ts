// A stateful GitLab for contract tests, on the OpenAPI fake driven by the document derived from @gitbeaker/core's
// types: projects (nested groups), merge requests, notes, users and namespaces. Every body starts from the document's
// own minimal example with the fields that matter set, so each response is a documented shape. Requests need the
// token in PRIVATE-TOKEN; `fail()` queues one-off errors (rate limits, 401…).
import { fileURLToPath } from 'node:url';
import type { ContractResponse } from './loopback.js';
import { startOpenApiFake, type OpenApiFake, type OperationRequest } from './openapi-server.js';

type Json = Record<string, unknown>;

export const GITLAB_DOC = fileURLToPath(
  new URL('../../fixtures/contracts/gitlab.derived.json', import.meta.url),
);

export interface FakeMergeRequest {
  iid: number;
  project: string;
  title: string;
  description: string;
  source: string;
  target: string;
  state: 'opened' | 'closed' | 'merged';
  labels: string[];
  reviewerIds: number[];
  assigneeIds: number[];
  removeSourceBranch: boolean;
  notes: string[];
}

export interface GitlabFake {
  api: OpenApiFake;
  /** What `base_url` should be (the fake's origin; the API lives under /api/v4). */
  baseUrl: string;
  projects: Map<string, { id: number; defaultBranch: string; namespace: string }>;
  mergeRequests: FakeMergeRequest[];
  users: { id: number; username: string }[];
  groups: Map<string, number>;
  fail(operationId: string, response: ContractResponse): void;
  /** Runs `fn` after the fake has acted on the next `operationId` request, before it answers (a client killed mid-call). */
  after(operationId: string, fn: () => void): void;
}

export async function startGitlabFake(
  options: {
    token?: string;
    projects?: string[];
    /** Where web and clone URLs point (a proxy in front of the fake and a git server); default the fake itself. */
    webOrigin?: string;
  } = {},
): Promise<GitlabFake> {
  const token = options.token ?? 'glpat-test-token';
  const api = await startOpenApiFake({ document: GITLAB_DOC });
  const failures = new Map<string, ContractResponse[]>();
  const afters = new Map<string, () => void>();
  const fake: GitlabFake = {
    api,
    baseUrl: api.url,
    projects: new Map(),
    mergeRequests: [],
    users: [
      { id: 1, username: 'aidev-bot' },
      { id: 7, username: 'alice' },
      { id: 8, username: 'bob' },
    ],
    groups: new Map([
      ['acme', 100],
      ['acme/platform', 101],
    ]),
    fail(operationId, response) {
      failures.set(operationId, [...(failures.get(operationId) ?? []), response]);
    },
    after(operationId, fn) {
      afters.set(operationId, fn);
    },
  };
  let nextId = 500;
  for (const path of options.projects ?? ['acme/platform/api'])
    fake.projects.set(path, {
      id: nextId++,
      defaultBranch: 'main',
      namespace: path.split('/').slice(0, -1).join('/'),
    });

  const web = (path: string) => `${options.webOrigin ?? api.origin}/${path}`;
  const item = (r: OperationRequest): Json => {
    const example = r.example() as unknown;
    return (Array.isArray(example) ? example[0] : example) as Json;
  };
  const user = (r: OperationRequest, u: { id: number; username: string }): Json => ({
    ...item(r),
    id: u.id,
    username: u.username,
    name: u.username,
    state: 'active',
    web_url: web(u.username),
  });
  const projectBody = (r: OperationRequest, path: string, status?: number): Json => {
    const p = fake.projects.get(path)!;
    return {
      ...r.example(status),
      id: p.id,
      name: path.split('/').pop(),
      path: path.split('/').pop(),
      path_with_namespace: path,
      name_with_namespace: path.split('/').join(' / '),
      default_branch: p.defaultBranch,
      web_url: web(path),
      http_url_to_repo: `${web(path)}.git`,
      ssh_url_to_repo: `git@127.0.0.1:${path}.git`,
    };
  };
  const projectOf = (r: OperationRequest): string | undefined => {
    const id = String(r.params.id);
    if (fake.projects.has(id)) return id;
    return [...fake.projects].find(([, p]) => String(p.id) === id)?.[0];
  };
  const mrBody = (r: OperationRequest, mr: FakeMergeRequest, status?: number): Json => {
    const base = status ? r.example(status) : item(r);
    const author = (base.author ?? {}) as Json;
    return {
      ...base,
      id: 9000 + mr.iid,
      iid: mr.iid,
      project_id: fake.projects.get(mr.project)!.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      source_branch: mr.source,
      target_branch: mr.target,
      draft: /^draft:/i.test(mr.title),
      work_in_progress: /^draft:/i.test(mr.title),
      labels: mr.labels,
      web_url: web(`${mr.project}/-/merge_requests/${mr.iid}`),
      author: { ...author, id: 1, username: 'aidev-bot' },
      should_remove_source_branch: mr.removeSourceBranch,
    };
  };
  const notFound = (what: string): ContractResponse => ({
    status: 404,
    body: { message: `404 ${what} Not Found` },
  });
  const guard =
    (operationId: string, handler: (r: OperationRequest) => ContractResponse) =>
    (r: OperationRequest): ContractResponse => {
      const queued = failures.get(operationId);
      if (queued?.length) return queued.shift()!;
      if (r.headers['private-token'] !== token) return { status: 401, body: { message: '401 Unauthorized' } };
      const response = handler(r);
      const fn = afters.get(operationId);
      afters.delete(operationId);
      fn?.();
      return response;
    };

  api
    .handle(
      'Users.showCurrentUser',
      guard('Users.showCurrentUser', (r) => ({ status: 200, body: user(r, fake.users[0]!) })),
    )
    .handle(
      'Users.all',
      guard('Users.all', (r) => ({
        status: 200,
        body: fake.users.filter((u) => u.username === r.query.username).map((u) => user(r, u)),
      })),
    )
    .handle(
      'Projects.show',
      guard('Projects.show', (r) => {
        const path = projectOf(r);
        return path ? { status: 200, body: projectBody(r, path) } : notFound('Project');
      }),
    )
    .handle(
      'Namespaces.show',
      guard('Namespaces.show', (r) => {
        const path = String(r.params.id);
        const id = fake.groups.get(path) ?? fake.users.find((u) => u.username === path)?.id;
        if (id === undefined) return notFound('Namespace');
        return {
          status: 200,
          body: {
            ...r.example(),
            id,
            full_path: path,
            path: path.split('/').pop(),
            kind: fake.groups.has(path) ? 'group' : 'user',
          },
        };
      }),
    )
    .handle(
      'Projects.create',
      guard('Projects.create', (r) => {
        const body = r.body as { name: string; path?: string; namespace_id?: number };
        const namespace =
          body.namespace_id === undefined
            ? fake.users[0]!.username
            : ([...fake.groups].find(([, id]) => id === body.namespace_id)?.[0] ??
              fake.users.find((u) => u.id === body.namespace_id)?.username);
        if (namespace === undefined) return notFound('Namespace');
        const path = `${namespace}/${body.path ?? body.name}`;
        if (fake.projects.has(path))
          return {
            status: 400,
            body: { message: { name: ['has already been taken'], path: ['has already been taken'] } },
          };
        fake.projects.set(path, { id: nextId++, defaultBranch: 'main', namespace });
        return { status: 201, body: projectBody(r, path, 201) };
      }),
    )
    .handle(
      'MergeRequests.all',
      guard('MergeRequests.all', (r) => {
        const path = projectOf(r);
        if (!path) return notFound('Project');
        const list = fake.mergeRequests
          .filter((m) => m.project === path && (!r.query.source_branch || m.source === r.query.source_branch))
          .filter((m) => !r.query.state || m.state === r.query.state)
          .sort((a, b) => b.iid - a.iid);
        return { status: 200, body: list.map((m) => mrBody(r, m)) };
      }),
    )
    .handle(
      'MergeRequests.create',
      guard('MergeRequests.create', (r) => {
        const path = projectOf(r);
        if (!path) return notFound('Project');
        const b = r.body as {
          source_branch: string;
          target_branch: string;
          title: string;
          description?: string;
          labels?: string | string[];
          reviewer_ids?: number[];
          assignee_ids?: number[];
          remove_source_branch?: boolean;
        };
        const open = fake.mergeRequests.find(
          (m) => m.project === path && m.source === b.source_branch && m.state === 'opened',
        );
        if (open)
          return {
            status: 409,
            body: {
              message: [`Another open merge request already exists for this source branch: !${open.iid}`],
            },
          };
        const mr: FakeMergeRequest = {
          iid: fake.mergeRequests.filter((m) => m.project === path).length + 1,
          project: path,
          title: b.title,
          description: b.description ?? '',
          source: b.source_branch,
          target: b.target_branch,
          state: 'opened',
          labels: typeof b.labels === 'string' ? b.labels.split(',').filter(Boolean) : (b.labels ?? []),
          reviewerIds: b.reviewer_ids ?? [],
          assigneeIds: b.assignee_ids ?? [],
          removeSourceBranch: b.remove_source_branch ?? false,
          notes: [],
        };
        fake.mergeRequests.push(mr);
        return { status: 201, body: mrBody(r, mr, 201) };
      }),
    )
    .handle(
      'MergeRequests.edit',
      guard('MergeRequests.edit', (r) => {
        const path = projectOf(r);
        const mr = fake.mergeRequests.find((m) => m.project === path && m.iid === r.params.merge_request_iid);
        if (!mr) return notFound('Merge Request');
        const b = r.body as {
          title?: string;
          description?: string;
          target_branch?: string;
          state_event?: string;
        };
        if (b.title !== undefined) mr.title = b.title;
        if (b.description !== undefined) mr.description = b.description;
        if (b.target_branch !== undefined) mr.target = b.target_branch;
        if (b.state_event === 'close') mr.state = 'closed';
        return { status: 200, body: mrBody(r, mr) };
      }),
    )
    .handle(
      'MergeRequestNotes.create',
      guard('MergeRequestNotes.create', (r) => {
        const path = projectOf(r);
        const mr = fake.mergeRequests.find((m) => m.project === path && m.iid === r.params.merge_request_iid);
        if (!mr) return notFound('Merge Request');
        mr.notes.push((r.body as { body: string }).body);
        return {
          status: 201,
          body: {
            ...r.example(201),
            id: mr.notes.length,
            body: mr.notes.at(-1),
            noteable_iid: mr.iid,
            project_id: fake.projects.get(mr.project)!.id,
          },
        };
      }),
    );
  return fake;
}
