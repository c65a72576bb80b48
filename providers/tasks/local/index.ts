// Registry entry of the local markdown tracker.
import { defineProvider } from '../../types.js';
import { localTasksConfigSchema } from './config.js';

export const localTasksProvider = defineProvider({
  category: 'tasks',
  id: 'local',
  description: 'Markdown files in .aidev/tasks (no account needed)',
  configSchema: localTasksConfigSchema,
  credentials: [],
  async create(ctx) {
    const { LocalTasks } = await import('./local-tasks.js');
    return new LocalTasks(ctx);
  },
});
