// The local markdown tracker: one file per task in .aidev/tasks/<ID>.md. Writes are atomic, and two processes
// writing at once never lose an update (a lock file per task; ids are claimed with O_EXCL).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AidevError } from '../../../src/core/errors.js';
import { createExclusive, withFileLock, writeFileAtomic } from '../../shared/atomic-file.js';
import {
  TASK_STATUSES,
  type LinkKind,
  type NewTask,
  type ProviderContext,
  type Task,
  type TaskComment,
  type TaskFilter,
  type TasksProvider,
  type TaskStatus,
} from '../../types.js';
import type { LocalTasksConfig } from './config.js';
import { appendComment, formatTaskFile, parseTaskFile, type TaskFile } from './task-file.js';

export class LocalTasks implements TasksProvider {
  readonly id = 'local';
  readonly #dir: string;
  readonly #settings: LocalTasksConfig;
  readonly #ctx: ProviderContext<LocalTasksConfig>;

  constructor(ctx: ProviderContext<LocalTasksConfig>) {
    this.#ctx = ctx;
    this.#settings = ctx.settings;
    this.#dir = resolve(ctx.repoRoot, ctx.settings.dir);
  }

  async getTask(id: string): Promise<Task> {
    return this.#read(this.#normalizeId(id)).task;
  }

  async listTasks(filter: TaskFilter = {}): Promise<Task[]> {
    if (!existsSync(this.#dir)) return [];
    const tasks = readdirSync(this.#dir)
      .filter((name) => name.endsWith('.md'))
      .map((name) => this.#read(name.slice(0, -3)).task)
      .filter(
        (t) =>
          (!filter.status || t.status === filter.status) &&
          (!filter.assignee || t.assignee === filter.assignee) &&
          (!filter.label || t.labels.includes(filter.label)),
      )
      .sort((a, b) => numberOf(a.id) - numberOf(b.id) || a.id.localeCompare(b.id));
    return filter.limit ? tasks.slice(0, filter.limit) : tasks;
  }

  async createTask(input: NewTask): Promise<Task> {
    if (!input.title.trim())
      throw new AidevError('USAGE', 'a task needs a title', { hint: 'aidev tasks create "Add login"' });
    const now = this.#ctx.runtime.clock.now().toISOString();
    for (let n = this.#nextNumber(); ; n++) {
      const id = `${this.#settings.prefix}-${n}`;
      const task: Task = {
        id,
        type: input.type ?? 'task',
        title: input.title.trim(),
        description: input.description ?? '',
        status: 'todo',
        assignee: input.assignee ?? null,
        labels: input.labels ?? [],
        url: null,
        parentId: input.parentId,
        dependsOn: input.dependsOn ?? [],
        estimate: input.estimate,
      };
      const text = formatTaskFile({ task, created: now, updated: now, comments: '', extra: {} }, (s) =>
        this.#statusName(s),
      );
      if (createExclusive(this.#path(id), text)) return this.#withUrl(task);
    }
  }

  async updateStatus(id: string, status: TaskStatus): Promise<Task> {
    return this.#update(id, (file) => ({ ...file, task: { ...file.task, status } })).task;
  }

  async addComment(id: string, body: string): Promise<TaskComment> {
    const at = this.#ctx.runtime.clock.now().toISOString();
    this.#update(id, (file) => appendComment(file, body, at, 'aidev'));
    return { id: `${this.#normalizeId(id)}@${at}`, url: this.#relative(this.#normalizeId(id)) };
  }

  /** `a blocks b`: b depends on a. `a parent b`: a's parent is b. `relates`: recorded on a as a label-free link. */
  async link(fromId: string, toId: string, kind: LinkKind): Promise<void> {
    const from = this.#normalizeId(fromId);
    const to = this.#normalizeId(toId);
    this.#read(to); // both must exist
    if (kind === 'blocks') {
      this.#update(to, (f) =>
        f.task.dependsOn.includes(from)
          ? f
          : { ...f, task: { ...f.task, dependsOn: [...f.task.dependsOn, from] } },
      );
    } else if (kind === 'parent') {
      this.#update(from, (f) => ({ ...f, task: { ...f.task, parentId: to } }));
    } else {
      this.#update(from, (f) => {
        const related = Array.isArray(f.extra.related) ? (f.extra.related as string[]) : [];
        return related.includes(to) ? f : { ...f, extra: { ...f.extra, related: [...related, to] } };
      });
    }
    return;
  }

  async setFields(id: string, fields: Record<string, string>): Promise<void> {
    this.#update(id, (f) => ({ ...f, extra: { ...f.extra, ...fields } }));
    return;
  }

  #update(rawId: string, change: (file: TaskFile) => TaskFile): TaskFile {
    const id = this.#normalizeId(rawId);
    const path = this.#path(id);
    return withFileLock(path, () => {
      const next = change(this.#read(id));
      const stamped = { ...next, updated: this.#ctx.runtime.clock.now().toISOString() };
      writeFileAtomic(
        path,
        formatTaskFile(stamped, (s) => this.#statusName(s)),
      );
      return { ...stamped, task: this.#withUrl(stamped.task) };
    });
  }

  #read(id: string): TaskFile {
    const path = this.#path(id);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AidevError('TASK_NOT_FOUND', `task ${id} not found in ${this.#relative(id)}`, {
          hint: 'list the tasks with `aidev tasks list`, or create one with `aidev tasks create "<title>"`',
        });
      }
      throw error;
    }
    const file = parseTaskFile(text, this.#relative(id), (raw) => this.#statusOf(raw));
    return { ...file, task: this.#withUrl(file.task) };
  }

  #withUrl(task: Task): Task {
    return { ...task, url: this.#relative(task.id) };
  }

  #statusOf(raw: string): TaskStatus | undefined {
    const lower = raw.toLowerCase();
    const mapping = this.#settings.status_mapping ?? {};
    for (const status of TASK_STATUSES) {
      const names = mapping[status];
      if ((Array.isArray(names) ? names : names ? [names] : []).some((n) => n.toLowerCase() === lower))
        return status;
    }
    return (TASK_STATUSES as readonly string[]).includes(lower) ? (lower as TaskStatus) : undefined;
  }

  #statusName(status: TaskStatus): string {
    const mapped = this.#settings.status_mapping?.[status];
    return (Array.isArray(mapped) ? mapped[0] : mapped) ?? status;
  }

  #nextNumber(): number {
    if (!existsSync(this.#dir)) return 1;
    const prefix = `${this.#settings.prefix}-`;
    const numbers = readdirSync(this.#dir)
      .filter((n) => n.startsWith(prefix) && n.endsWith('.md'))
      .map((n) => numberOf(n.slice(0, -3)));
    return Math.max(0, ...numbers.filter(Number.isFinite)) + 1;
  }

  #normalizeId(id: string): string {
    const trimmed = id.trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9]*-\d+$/.test(trimmed)) {
      throw new AidevError('TASK_NOT_FOUND', `"${id}" is not a local task id`, {
        hint: `local ids look like ${this.#settings.prefix}-12`,
      });
    }
    return trimmed;
  }

  #path(id: string): string {
    return join(this.#dir, `${id}.md`);
  }

  #relative(id: string): string {
    return relative(this.#ctx.repoRoot, this.#path(id)) || this.#path(id);
  }
}

function numberOf(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : Infinity;
}
