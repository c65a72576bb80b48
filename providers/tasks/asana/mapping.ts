// Asana tasks as aidev's standard task, and task references (gid, `asana:<gid>` or a task URL) as gids. Statuses come
// from the completed flag and the task's section in the configured project.
import { AidevError } from '../../../src/core/errors.js';
import type { Task, TaskStatus } from '../../types.js';
import type { AsanaTask } from './client.js';
import type { AsanaTasksConfig } from './config.js';

export const TASK_FIELDS = [
  'name',
  'notes',
  'completed',
  'resource_subtype',
  'assignee.name',
  'assignee.email',
  'tags.name',
  'parent.name',
  'dependencies',
  'permalink_url',
  'memberships.project.name',
  'memberships.section.name',
];

/** `1209876543210`, `asana:1209876543210`, or a task URL (both the /0/<project>/<task> and /1/…/task/<task> forms). */
export function taskGid(ref: string, path: string): string {
  const trimmed = ref.trim().replace(/^asana:/i, '');
  if (/^\d+$/.test(trimmed)) return trimmed;
  const url = /^https?:\/\/[^/]+(\/[^?#]*)/.exec(trimmed)?.[1];
  const gid = url && (/\/task\/(\d+)/.exec(url)?.[1] ?? /\/0\/\d+\/(\d+)(?:\/f)?\/?$/.exec(url)?.[1]);
  if (gid) return gid;
  throw new AidevError('TASK_NOT_FOUND', `${ref} is not an Asana task reference`, {
    hint: `use the task gid (digits), asana:<gid>, or the task's URL (${path})`,
  });
}

export function sectionNames(settings: AsanaTasksConfig, status: TaskStatus): string[] {
  const value = settings.sections[status];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function statusOf(task: AsanaTask, settings: AsanaTasksConfig): TaskStatus {
  if (task.completed) return 'done';
  const membership = task.memberships?.find((m) => !settings.project || m.project?.gid === settings.project);
  const section = membership?.section?.name?.toLowerCase();
  if (section)
    for (const status of ['in_review', 'in_progress', 'todo', 'done'] as const)
      if (sectionNames(settings, status).some((n) => n.toLowerCase() === section)) return status;
  return 'todo';
}

export function toTask(task: AsanaTask, settings: AsanaTasksConfig): Task {
  return {
    id: task.gid,
    type: task.resource_subtype === 'milestone' ? 'milestone' : 'task',
    title: task.name ?? '',
    description: task.notes ?? '',
    status: statusOf(task, settings),
    assignee: task.assignee ? (task.assignee.email ?? task.assignee.name ?? task.assignee.gid) : null,
    labels: (task.tags ?? []).map((t) => t.name ?? t.gid),
    url: task.permalink_url ?? null,
    parentId: task.parent?.gid,
    dependsOn: (task.dependencies ?? []).map((d) => d.gid),
  };
}
