// The Asana tracker: tasks of one project, statuses as its sections (and the completed flag for done), labels as
// workspace tags, plan epics as parent tasks with subtasks, "blocked by" as task dependencies, comments as stories.
import { AidevError } from '../../../src/core/errors.js';
import { defaultRateLimitPolicy, withRateLimit, type RateLimitPolicy } from '../../shared/rate-limit.js';
import type {
  LinkKind,
  NewTask,
  ProviderContext,
  Task,
  TaskComment,
  TaskFilter,
  TasksProvider,
  TaskStatus,
} from '../../types.js';
import type { AuthChecker, AuthStatus } from '../../capabilities.js';
import type { AsanaApi, Ref, TaskFields } from './client.js';
import type { AsanaTasksConfig } from './config.js';
import { asanaError, asanaRetryAfter, type AsanaErrorContext } from './errors.js';
import { sectionNames, TASK_FIELDS, taskGid, toTask } from './mapping.js';

type Signal = { signal?: AbortSignal };

export class AsanaTasks implements TasksProvider, AuthChecker {
  readonly id = 'asana';
  readonly #ctx: ProviderContext<AsanaTasksConfig>;
  readonly #api: AsanaApi;
  readonly #policy: RateLimitPolicy;
  #workspace: Promise<string> | undefined;
  #sections: Promise<Ref[]> | undefined;
  #tags: Map<string, string> | undefined;

  constructor(
    ctx: ProviderContext<AsanaTasksConfig>,
    api: AsanaApi,
    options: { rateLimit?: RateLimitPolicy } = {},
  ) {
    this.#ctx = ctx;
    this.#api = api;
    this.#policy = options.rateLimit ?? defaultRateLimitPolicy;
  }

  async getTask(id: string, opts: Signal = {}): Promise<Task> {
    const gid = taskGid(id, this.#ctx.path);
    const task = await this.#call(opts, () => this.#api.task(gid, TASK_FIELDS), {
      action: `read task ${gid}`,
      notFound: `the task ${gid}`,
      needs: 'tasks:read',
    });
    return toTask(task, this.#ctx.settings);
  }

  async listTasks(filter: TaskFilter = {}, opts: Signal = {}): Promise<Task[]> {
    const project = this.#project();
    // Incomplete tasks unless done ones are asked for: `completed_since=now` is Asana's filter for that.
    const query = filter.status === 'done' ? { project } : { project, completed_since: 'now' };
    const found = await this.#call(
      opts,
      () => this.#api.tasks(query, TASK_FIELDS, this.#ctx.settings.max_pages),
      {
        action: `list the tasks of project ${project}`,
        notFound: `the project ${project}`,
        needs: 'tasks:read',
      },
    );
    const tasks = found
      .map((t) => toTask(t, this.#ctx.settings))
      .filter((t) => !filter.status || t.status === filter.status)
      .filter((t) => !filter.label || t.labels.includes(filter.label))
      .filter((t) => !filter.assignee || t.assignee === filter.assignee);
    return filter.limit ? tasks.slice(0, filter.limit) : tasks;
  }

  /** A task in the project (a subtask when it has a parent), in the todo section, with tags and dependencies. */
  async createTask(input: NewTask, opts: Signal = {}): Promise<Task> {
    const project = this.#project();
    const section = await this.#sectionFor('todo', opts, false);
    const tags = await this.#tagGids(input.labels ?? [], opts);
    const data: TaskFields = {
      name: input.title,
      notes: input.description ?? '',
      ...(section ? { memberships: [{ project, section: section.gid }] } : { projects: [project] }),
      ...(tags.length ? { tags } : {}),
      ...(input.assignee ? { assignee: input.assignee } : {}),
    };
    const parent = input.parentId ? taskGid(input.parentId, this.#ctx.path) : undefined;
    const created = await this.#call(
      opts,
      () =>
        parent ? this.#api.createSubtask(parent, data, TASK_FIELDS) : this.#api.createTask(data, TASK_FIELDS),
      {
        action: parent ? `create a subtask of ${parent}` : `create a task in project ${project}`,
        notFound: parent ? `the parent task ${parent}` : `the project ${project}`,
        needs: 'tasks:write',
      },
    );
    const dependencies = (input.dependsOn ?? []).map((d) => taskGid(d, this.#ctx.path));
    if (dependencies.length) {
      await this.#call(opts, () => this.#api.addDependencies(created.gid, dependencies), {
        action: `mark ${created.gid} as blocked by ${dependencies.join(', ')}`,
        needs: 'tasks:write',
      });
      created.dependencies = dependencies.map((gid) => ({ gid }));
    }
    return toTask(created, this.#ctx.settings);
  }

  async updateStatus(id: string, status: TaskStatus, opts: Signal = {}): Promise<Task> {
    const gid = taskGid(id, this.#ctx.path);
    const section = await this.#sectionFor(status, opts, status !== 'done');
    if (!section && status !== 'done' && !sectionNames(this.#ctx.settings, status).length)
      this.#ctx.logger.warn(
        `${this.#ctx.path}.sections.${status} is not set: task ${gid} stays in its section (Asana has no states; see docs/providers/asana.md)`,
      );
    if (section)
      await this.#call(opts, () => this.#api.addToSection(section.gid, gid), {
        action: `move task ${gid} to the section ${section.name ?? section.gid}`,
        notFound: `the task ${gid} or its section`,
        needs: 'tasks:write',
      });
    const task = await this.#call(
      opts,
      () => this.#api.updateTask(gid, { completed: status === 'done' }, TASK_FIELDS),
      {
        action: `mark task ${gid} ${status === 'done' ? 'complete' : 'incomplete'}`,
        notFound: `the task ${gid}`,
        needs: 'tasks:write',
      },
    );
    return { ...toTask(task, this.#ctx.settings), status };
  }

  async addComment(id: string, body: string, opts: Signal = {}): Promise<TaskComment> {
    const gid = taskGid(id, this.#ctx.path);
    const story = await this.#call(opts, () => this.#api.comment(gid, body), {
      action: `comment on task ${gid}`,
      notFound: `the task ${gid}`,
      needs: 'stories:write',
    });
    return { id: story.gid };
  }

  /** `blocks`: `to` gets `from` as a dependency. Asana has no "relates": that one becomes a story on `from`. */
  async link(fromId: string, toId: string, kind: LinkKind, opts: Signal = {}): Promise<void> {
    const from = taskGid(fromId, this.#ctx.path);
    const to = taskGid(toId, this.#ctx.path);
    if (kind === 'blocks') {
      await this.#call(opts, () => this.#api.addDependencies(to, [from]), {
        action: `mark ${to} as blocked by ${from}`,
        notFound: `the task ${to} or ${from}`,
        needs: 'tasks:write',
      });
      return;
    }
    if (kind === 'relates') {
      await this.addComment(from, `Related: ${to}`, opts);
      return;
    }
    throw new AidevError('PROVIDER_ERROR', `Asana cannot make ${from} a subtask of ${to} after the fact`, {
      hint: 'create the task with its parent (aidev plan does), or move it in Asana',
    });
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    try {
      const me = await this.#call(opts, () => this.#api.me(), { action: 'authenticate' });
      const who = me.email ?? me.name ?? me.gid;
      return { ok: true, identity: who, detail: `${who} (Asana)` };
    } catch (error) {
      const e = asanaError(error, { action: 'authenticate', path: this.#ctx.path });
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  /** The section for `status`: undefined when none is configured; an error (when `required`) when it is missing. */
  async #sectionFor(status: TaskStatus, opts: Signal, required: boolean): Promise<Ref | undefined> {
    const names = sectionNames(this.#ctx.settings, status);
    if (!names.length) return undefined;
    const project = this.#project();
    this.#sections ??= this.#call(opts, () => this.#api.sections(project), {
      action: `read the sections of project ${project}`,
      notFound: `the project ${project}`,
      needs: 'projects:read',
    });
    const sections = await this.#sections.catch((error: unknown) => {
      this.#sections = undefined;
      throw error;
    });
    const wanted = names[0]!.toLowerCase();
    const found = sections.find((s) => s.name?.toLowerCase() === wanted);
    if (!found && required)
      throw new AidevError(
        'CONFIG_INVALID',
        `${this.#ctx.path}.sections.${status}: project ${project} has no section "${names[0]}"`,
        {
          hint: `use one of: ${sections.map((s) => s.name).join(', ') || '(no sections)'}; or add the section in Asana`,
        },
      );
    return found;
  }

  /** Tag gids for label names, creating the missing tags in the workspace. */
  async #tagGids(labels: string[], opts: Signal): Promise<string[]> {
    if (!labels.length) return [];
    const workspace = await this.#workspaceGid(opts);
    if (!this.#tags) {
      const tags = await this.#call(opts, () => this.#api.tags(workspace), {
        action: `list the tags of workspace ${workspace}`,
        needs: 'tags:read',
      });
      this.#tags = new Map(tags.map((t) => [(t.name ?? '').toLowerCase(), t.gid]));
    }
    const gids: string[] = [];
    for (const label of new Set(labels)) {
      let gid = this.#tags.get(label.toLowerCase());
      if (!gid) {
        gid = (
          await this.#call(opts, () => this.#api.createTag(workspace, label), {
            action: `create the tag ${label}`,
            needs: 'tags:write',
          })
        ).gid;
        this.#tags.set(label.toLowerCase(), gid);
      }
      gids.push(gid);
    }
    return gids;
  }

  #workspaceGid(opts: Signal): Promise<string> {
    const configured = this.#ctx.settings.workspace;
    this.#workspace ??= configured
      ? Promise.resolve(configured)
      : this.#call(opts, () => this.#api.project(this.#project()), {
          action: `read project ${this.#project()}`,
          notFound: `the project ${this.#project()}`,
        }).then((p) => {
          if (!p.workspace?.gid)
            throw new AidevError(
              'CONFIG_INVALID',
              `${this.#ctx.path}: cannot tell the workspace of project ${p.gid}`,
              {
                hint: `set ${this.#ctx.path}.workspace`,
              },
            );
          return p.workspace.gid;
        });
    return this.#workspace;
  }

  #project(): string {
    const project = this.#ctx.settings.project;
    if (!project)
      throw new AidevError('CONFIG_INVALID', `${this.#ctx.path}.project is not set`, {
        hint: `set ${this.#ctx.path}.project to the project gid (the number after /project/ or /0/ in its URL)`,
      });
    return project;
  }

  /** One API call with the bounded rate-limit retry, its failure mapped to an AidevError. */
  async #call<T>(opts: Signal, fn: () => Promise<T>, at: Omit<AsanaErrorContext, 'path'>): Promise<T> {
    // The SDK takes no AbortSignal: a cancelled step stops before its next call.
    opts.signal?.throwIfAborted();
    try {
      return await withRateLimit(fn, asanaRetryAfter, this.#policy, opts.signal);
    } catch (error) {
      throw asanaError(error, { ...at, path: this.#ctx.path });
    }
  }
}
