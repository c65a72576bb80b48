// A stateful Asana for contract tests, on the OpenAPI fake driven by the document derived from the asana package's
// operations and @types/asana's resources: one workspace and project with sections, tasks (subtasks, tags,
// dependencies, completion), stories and tags, lists paginated with offset tokens. Requests need the bearer token;
// `fail()` queues one-off errors.
import { fileURLToPath } from 'node:url';
import type { ContractResponse } from './loopback.js';
import { startOpenApiFake, type OpenApiFake, type OperationRequest } from './openapi-server.js';

type Json = Record<string, unknown>;

export const ASANA_DOC = fileURLToPath(
  new URL('../../fixtures/contracts/asana.derived.json', import.meta.url),
);
export const WORKSPACE = '1000';
export const PROJECT = '2000';

export interface FakeAsanaTask {
  gid: string;
  name: string;
  notes: string;
  completed: boolean;
  section: string | null;
  projects: string[];
  tags: string[];
  parent: string | null;
  dependencies: string[];
  stories: string[];
}

export interface AsanaFake {
  api: OpenApiFake;
  /** What `base_url` should be. */
  baseUrl: string;
  tasks: Map<string, FakeAsanaTask>;
  sections: { gid: string; name: string }[];
  tags: { gid: string; name: string }[];
  /** Page size cap of list answers (Asana's is 100). */
  maxLimit: number;
  fail(operationId: string, response: ContractResponse): void;
  /** Runs `fn` after the fake has acted on the next `operationId` request, before it answers (a client killed mid-call). */
  after(operationId: string, fn: () => void): void;
  addTask(fields: Partial<FakeAsanaTask> & { name: string }): FakeAsanaTask;
}

export async function startAsanaFake(options: { token?: string } = {}): Promise<AsanaFake> {
  const token = options.token ?? 'asana-test-token';
  const api = await startOpenApiFake({ document: ASANA_DOC, basePath: '/api/1.0' });
  const failures = new Map<string, ContractResponse[]>();
  const afters = new Map<string, () => void>();
  let next = 5000;
  const fake: AsanaFake = {
    api,
    baseUrl: api.url,
    tasks: new Map(),
    sections: [
      { gid: '3001', name: 'To do' },
      { gid: '3002', name: 'Doing' },
      { gid: '3003', name: 'Review' },
      { gid: '3004', name: 'Done' },
    ],
    tags: [{ gid: '4001', name: 'backend' }],
    maxLimit: 100,
    fail(operationId, response) {
      failures.set(operationId, [...(failures.get(operationId) ?? []), response]);
    },
    after(operationId, fn) {
      afters.set(operationId, fn);
    },
    addTask(fields) {
      const task: FakeAsanaTask = {
        gid: String(next++),
        notes: '',
        completed: false,
        section: '3001',
        projects: [PROJECT],
        tags: [],
        parent: null,
        dependencies: [],
        stories: [],
        ...fields,
      };
      fake.tasks.set(task.gid, task);
      return task;
    },
  };
  const ref = (gid: string, name?: string, type = 'task'): Json => ({
    gid,
    resource_type: type,
    ...(name !== undefined ? { name } : {}),
  });
  const taskBody = (t: FakeAsanaTask): Json => ({
    gid: t.gid,
    resource_type: 'task',
    resource_subtype: 'default_task',
    name: t.name,
    notes: t.notes,
    completed: t.completed,
    assignee: null,
    tags: t.tags.map((g) => ref(g, fake.tags.find((x) => x.gid === g)?.name, 'tag')),
    parent: t.parent ? ref(t.parent, fake.tasks.get(t.parent)?.name) : null,
    dependencies: t.dependencies.map((g) => ref(g)),
    permalink_url: `https://app.asana.com/0/${PROJECT}/${t.gid}`,
    memberships: t.projects.map((p) => ({
      project: ref(p, 'App', 'project'),
      section: t.section
        ? ref(t.section, fake.sections.find((s) => s.gid === t.section)?.name, 'section')
        : null,
    })),
  });
  const page = <T>(r: OperationRequest, items: T[], path: string): Json => {
    const limit = Math.min(Number(r.query.limit ?? 100), fake.maxLimit);
    const offset = Number((r.query.offset as string | undefined) ?? 0);
    const slice = items.slice(offset, offset + limit);
    const more = offset + limit < items.length;
    return {
      data: slice,
      next_page: more
        ? { offset: String(offset + limit), path, uri: `${api.url}${path}?offset=${offset + limit}` }
        : null,
    };
  };
  const error = (status: number, message: string): ContractResponse => ({
    status,
    body: { errors: [{ message }] },
  });
  const guard =
    (operationId: string, handler: (r: OperationRequest) => ContractResponse) =>
    (r: OperationRequest): ContractResponse => {
      const queued = failures.get(operationId);
      if (queued?.length) return queued.shift()!;
      if (r.headers.authorization !== `Bearer ${token}`) return error(401, 'Not Authorized');
      const response = handler(r);
      const fn = afters.get(operationId);
      afters.delete(operationId);
      fn?.();
      return response;
    };
  const withTask =
    (handler: (r: OperationRequest, t: FakeAsanaTask) => ContractResponse) => (r: OperationRequest) => {
      const task = fake.tasks.get(String(r.params.task_gid));
      return task ? handler(r, task) : error(404, 'task: Unknown object: ' + String(r.params.task_gid));
    };
  const create = (r: OperationRequest, parent: string | null): ContractResponse => {
    const d = (
      r.body as {
        data: {
          name: string;
          notes?: string;
          projects?: string[];
          memberships?: { project: string; section: string }[];
          tags?: string[];
        };
      }
    ).data;
    const projects = d.projects ?? d.memberships?.map((m) => m.project) ?? [];
    if (projects.some((p) => p !== PROJECT)) return error(404, 'projects: Unknown object');
    const task = fake.addTask({
      name: d.name,
      notes: d.notes ?? '',
      projects,
      section: d.memberships?.[0]?.section ?? (projects.length ? '3001' : null),
      tags: d.tags ?? [],
      parent,
    });
    return { status: 201, body: { data: taskBody(task) } };
  };

  api
    .handle(
      'UsersApi.getUser',
      guard('UsersApi.getUser', () => ({
        status: 200,
        body: { data: { ...ref('7', 'aidev bot', 'user'), email: 'bot@example.com' } },
      })),
    )
    .handle(
      'ProjectsApi.getProject',
      guard('ProjectsApi.getProject', (r) =>
        r.params.project_gid === PROJECT
          ? {
              status: 200,
              body: {
                data: { ...ref(PROJECT, 'App', 'project'), workspace: ref(WORKSPACE, 'Acme', 'workspace') },
              },
            }
          : error(404, 'project: Unknown object'),
      ),
    )
    .handle(
      'SectionsApi.getSectionsForProject',
      guard('SectionsApi.getSectionsForProject', (r) =>
        r.params.project_gid === PROJECT
          ? {
              status: 200,
              body: page(
                r,
                fake.sections.map((s) => ref(s.gid, s.name, 'section')),
                `/projects/${PROJECT}/sections`,
              ),
            }
          : error(404, 'project: Unknown object'),
      ),
    )
    .handle(
      'SectionsApi.addTaskForSection',
      guard('SectionsApi.addTaskForSection', (r) => {
        const task = fake.tasks.get((r.body as { data: { task: string } }).data.task);
        if (!task || !fake.sections.some((s) => s.gid === r.params.section_gid))
          return error(404, 'Unknown object');
        task.section = String(r.params.section_gid);
        return { status: 200, body: { data: {} } };
      }),
    )
    .handle(
      'TasksApi.getTasks',
      guard('TasksApi.getTasks', (r) => {
        if (r.query.project !== PROJECT) return error(400, 'project: Not a recognized ID');
        const open = r.query.completed_since === 'now';
        const list = [...fake.tasks.values()].filter(
          (t) => t.projects.includes(PROJECT) && (!open || !t.completed),
        );
        return { status: 200, body: page(r, list.map(taskBody), '/tasks') };
      }),
    )
    .handle(
      'TasksApi.getTask',
      guard(
        'TasksApi.getTask',
        withTask((_r, t) => ({ status: 200, body: { data: taskBody(t) } })),
      ),
    )
    .handle(
      'TasksApi.createTask',
      guard('TasksApi.createTask', (r) => create(r, null)),
    )
    .handle(
      'TasksApi.createSubtaskForTask',
      guard(
        'TasksApi.createSubtaskForTask',
        withTask((r, t) => create(r, t.gid)),
      ),
    )
    .handle(
      'TasksApi.updateTask',
      guard(
        'TasksApi.updateTask',
        withTask((r, t) => {
          const d = (r.body as { data: { completed?: boolean; name?: string; notes?: string } }).data;
          if (d.completed !== undefined) t.completed = d.completed;
          if (d.name !== undefined) t.name = d.name;
          if (d.notes !== undefined) t.notes = d.notes;
          return { status: 200, body: { data: taskBody(t) } };
        }),
      ),
    )
    .handle(
      'TasksApi.addDependenciesForTask',
      guard(
        'TasksApi.addDependenciesForTask',
        withTask((r, t) => {
          const deps = (r.body as { data: { dependencies: string[] } }).data.dependencies;
          if (deps.some((d) => !fake.tasks.has(d))) return error(400, 'dependencies: Unknown object');
          for (const d of deps) if (!t.dependencies.includes(d)) t.dependencies.push(d);
          return { status: 200, body: { data: {} } };
        }),
      ),
    )
    .handle(
      'TasksApi.addTagForTask',
      guard(
        'TasksApi.addTagForTask',
        withTask((r, t) => {
          t.tags.push(String((r.body as { data: { tag: string } }).data.tag));
          return { status: 200, body: { data: {} } };
        }),
      ),
    )
    .handle(
      'StoriesApi.createStoryForTask',
      guard(
        'StoriesApi.createStoryForTask',
        withTask((r, t) => {
          t.stories.push(String((r.body as { data: { text?: string } }).data.text ?? ''));
          return {
            status: 201,
            body: {
              data: { gid: `9${t.gid}${t.stories.length}`, resource_type: 'story', text: t.stories.at(-1) },
            },
          };
        }),
      ),
    )
    .handle(
      'TagsApi.getTagsForWorkspace',
      guard('TagsApi.getTagsForWorkspace', (r) => ({
        status: 200,
        body: page(
          r,
          fake.tags.map((t) => ref(t.gid, t.name, 'tag')),
          `/workspaces/${WORKSPACE}/tags`,
        ),
      })),
    )
    .handle(
      'TagsApi.createTagForWorkspace',
      guard('TagsApi.createTagForWorkspace', (r) => {
        const tag = { gid: String(next++), name: (r.body as { data: { name: string } }).data.name };
        fake.tags.push(tag);
        return { status: 201, body: { data: ref(tag.gid, tag.name, 'tag') } };
      }),
    );
  return fake;
}
