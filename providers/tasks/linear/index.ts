// Registry entry of the Linear tracker; @linear/sdk loads inside create().
import { defineProvider } from '../../types.js';
import { linearTasksConfigSchema } from './config.js';

export const linearTasksProvider = defineProvider({
  category: 'tasks',
  id: 'linear',
  description: 'Linear issues (@linear/sdk)',
  configSchema: linearTasksConfigSchema,
  credentials: [{ key: 'api_key', env: ['LINEAR_API_KEY'] }],
  async create(ctx) {
    const { LinearTasks } = await import('./linear-tasks.js');
    return LinearTasks.connect(ctx);
  },
});
