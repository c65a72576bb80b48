// A fake provider set for engine tests: in-memory tasks, code host, docs and chat that record every call (the side
// effects a test asserts on) and can be told to fail the next N calls of a method.
import type {
  ChatMessage,
  ChatProvider,
  DocPage,
  DocsProvider,
  NewTask,
  OpenPullRequestInput,
  PullRequest,
  RepoInfo,
  Task,
  TaskComment,
  TasksProvider,
  TaskStatus,
  VcsProvider,
  ProvidersByCategory,
  Category,
} from '../../providers/types.js';
import type { ProviderSet } from '../../src/core/providers.js';

export interface Call {
  category: Category;
  method: string;
  args: unknown[];
}

export class FakeWorld {
  readonly calls: Call[] = [];
  readonly tasks = new Map<string, Task>();
  readonly comments: { taskId: string; body: string }[] = [];
  readonly prs: PullRequest[] = [];
  readonly prComments: { url: string; body: string }[] = [];
  readonly pages = new Map<string, DocPage & { markdown: string }>();
  readonly messages: ChatMessage[] = [];
  prTemplate: string | null = null;
  readonly #failures = new Map<string, { error: Error; times: number }>();

  constructor(tasks: Partial<Task>[] = [{ id: 'T-1', title: 'Add a greeting' }]) {
    for (const t of tasks)
      this.tasks.set(t.id!, {
        type: 'task',
        description: '',
        status: 'todo',
        assignee: null,
        labels: [],
        url: null,
        dependsOn: [],
        title: '',
        ...t,
      } as Task);
  }

  /** The next `times` calls of `category.method` throw `error`. */
  failNext(name: string, error: Error, times = 1): void {
    this.#failures.set(name, { error, times });
  }

  /** Records the call, then throws if a failure was injected. */
  record(category: Category, method: string, args: unknown[]): void {
    this.calls.push({ category, method, args });
    const f = this.#failures.get(`${category}.${method}`);
    if (f && f.times > 0) {
      f.times--;
      throw f.error;
    }
  }

  count(name: string): number {
    return this.calls.filter((c) => `${c.category}.${c.method}` === name).length;
  }

  providerSet(): ProviderSet {
    const instances: ProvidersByCategory = {
      tasks: fakeTasks(this),
      vcs: fakeVcs(this),
      docs: fakeDocs(this),
      chat: fakeChat(this),
      ai: undefined as never,
    };
    return {
      get: <K extends Category>(category: K) => Promise.resolve(instances[category]),
      idOf: (category) => `fake-${category}`,
      set: (category, instance) => {
        (instances as unknown as Record<string, unknown>)[category] = instance;
      },
    };
  }
}

function fakeTasks(w: FakeWorld): TasksProvider {
  const get = (id: string): Task => {
    const task = w.tasks.get(id);
    if (!task) throw new Error(`no task ${id}`);
    return structuredClone(task);
  };
  return {
    id: 'fake',
    getTask: (id) => {
      w.record('tasks', 'getTask', [id]);
      return Promise.resolve(get(id));
    },
    listTasks: () => Promise.resolve([...w.tasks.values()]),
    createTask: (input: NewTask) => {
      w.record('tasks', 'createTask', [input]);
      const task: Task = {
        id: `T-${w.tasks.size + 1}`,
        type: input.type ?? 'task',
        title: input.title,
        description: input.description ?? '',
        status: 'todo',
        assignee: null,
        labels: input.labels ?? [],
        url: null,
        dependsOn: [],
      };
      w.tasks.set(task.id, task);
      return Promise.resolve(structuredClone(task));
    },
    updateStatus: (id: string, status: TaskStatus) => {
      w.record('tasks', 'updateStatus', [id, status]);
      w.tasks.get(id)!.status = status;
      return Promise.resolve(get(id));
    },
    addComment: (id: string, body: string): Promise<TaskComment> => {
      w.record('tasks', 'addComment', [id, body]);
      w.comments.push({ taskId: id, body });
      return Promise.resolve({ id: `c${w.comments.length}` });
    },
    link: () => Promise.resolve(),
  };
}

function fakeVcs(w: FakeWorld): VcsProvider {
  return {
    id: 'fake',
    pushBranch: (input) => {
      w.record('vcs', 'pushBranch', [input]);
      return Promise.resolve({ remote: 'origin', ref: input.branch });
    },
    openPullRequest: (input: OpenPullRequestInput) => {
      w.record('vcs', 'openPullRequest', [input]);
      const pr: PullRequest = {
        url: `https://example.test/pr/${w.prs.length + 1}`,
        number: w.prs.length + 1,
        id: String(w.prs.length + 1),
        state: 'open',
        head: input.head,
        base: input.base,
        title: input.title,
        draft: Boolean(input.draft),
      };
      w.prs.push(pr);
      return Promise.resolve({ ...pr });
    },
    updatePullRequest: (pr, input) => {
      w.record('vcs', 'updatePullRequest', [pr.url, input]);
      const found = w.prs.find((p) => p.url === pr.url)!;
      Object.assign(found, input.title ? { title: input.title } : {});
      return Promise.resolve({ ...found });
    },
    findPullRequest: ({ head }) => {
      w.record('vcs', 'findPullRequest', [head]);
      return Promise.resolve(w.prs.find((p) => p.head === head && p.state === 'open') ?? null);
    },
    closePullRequest: (pr) => {
      w.record('vcs', 'closePullRequest', [pr.url]);
      w.prs.find((p) => p.url === pr.url)!.state = 'closed';
      return Promise.resolve();
    },
    commentOnPullRequest: (pr, body) => {
      w.record('vcs', 'commentOnPullRequest', [pr.url, body]);
      w.prComments.push({ url: pr.url, body });
      return Promise.resolve();
    },
    pullRequestTemplate: () => Promise.resolve(w.prTemplate),
    repoInfo: (): Promise<RepoInfo> =>
      Promise.resolve({ name: 'acme/app', remoteUrl: null, defaultBranch: 'main', webUrl: null }),
  };
}

function fakeDocs(w: FakeWorld): DocsProvider {
  return {
    id: 'fake',
    upsertPage: (input) => {
      w.record('docs', 'upsertPage', [input]);
      const old = w.pages.get(input.key);
      const page = {
        id: input.key,
        key: input.key,
        title: input.title,
        url: `docs://${input.key}`,
        version: (old?.version ?? 0) + 1,
        markdown: input.markdown,
      };
      w.pages.set(input.key, page);
      return Promise.resolve({
        id: page.id,
        key: page.key,
        title: page.title,
        url: page.url,
        version: page.version,
      });
    },
    findPage: (key) => Promise.resolve(w.pages.get(key) ?? null),
    linkFor: (key) => `docs://${key}`,
  };
}

function fakeChat(w: FakeWorld): ChatProvider {
  return {
    id: 'fake',
    notify: (message) => {
      w.record('chat', 'notify', [message]);
      w.messages.push(message);
      return Promise.resolve({
        id: `m${w.messages.length}`,
        threadId: message.threadId ?? `thread-${w.messages.length}`,
      });
    },
  };
}
