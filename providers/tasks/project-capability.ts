// An optional tracker capability for `aidev plan`: group a plan's epics under a tracker project (a Linear project today).
// Kept out of TasksProvider because most trackers have no such thing; callers test for it with supportsProjects().
import type { TasksProvider } from '../types.js';

export interface TrackerProject {
  id: string;
  name: string;
  url: string | null;
}

export interface TaskProjects {
  /** Creates a project in the configured team. */
  createProject(
    input: { name: string; description?: string | undefined },
    opts?: { signal?: AbortSignal },
  ): Promise<TrackerProject>;
  /** Moves existing tasks (ids as the tracker shows them, e.g. ENG-12) into the project. */
  addToProject(taskIds: readonly string[], projectId: string, opts?: { signal?: AbortSignal }): Promise<void>;
}

export function supportsProjects(provider: TasksProvider): provider is TasksProvider & TaskProjects {
  const p = provider as Partial<TaskProjects>;
  return typeof p.createProject === 'function' && typeof p.addToProject === 'function';
}
