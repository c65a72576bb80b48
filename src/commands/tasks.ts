// `aidev tasks list|show|create`: the configured tracker, through the provider interface.
import type { NewTask, Task, TaskFilter, TaskStatus } from '../../providers/types.js';
import { TASK_STATUSES } from '../../providers/types.js';
import { AidevError } from '../core/errors.js';
import { openSession, type GlobalOptions } from '../core/session.js';

export interface TasksListOptions extends GlobalOptions {
  filter?: TaskFilter;
}

export async function runTasksList(options: TasksListOptions): Promise<{ provider: string; tasks: Task[] }> {
  if (options.filter?.status) assertStatus(options.filter.status);
  const session = await openSession(options);
  const tasks = await session.providers.get('tasks');
  return { provider: tasks.id, tasks: await tasks.listTasks(options.filter) };
}

export async function runTasksShow(
  options: GlobalOptions & { id: string },
): Promise<{ provider: string; task: Task }> {
  const session = await openSession(options);
  const tasks = await session.providers.get('tasks');
  return { provider: tasks.id, task: await tasks.getTask(options.id) };
}

export async function runTasksCreate(
  options: GlobalOptions & { task: NewTask },
): Promise<{ provider: string; task: Task }> {
  const session = await openSession(options);
  const tasks = await session.providers.get('tasks');
  return { provider: tasks.id, task: await tasks.createTask(options.task) };
}

export function assertStatus(status: string): asserts status is TaskStatus {
  if (!(TASK_STATUSES as readonly string[]).includes(status)) {
    throw new AidevError('USAGE', `unknown status "${status}"`, {
      hint: `use one of ${TASK_STATUSES.join(', ')}`,
    });
  }
}
