// Registry entry of the Asana tracker. The `asana` SDK loads inside create(), never at startup.
import { defineProvider } from '../../types.js';
import { asanaTasksConfigSchema } from './config.js';

export const ASANA_TOKEN_ENV = ['ASANA_TOKEN'] as const;

export const asanaTasksProvider = defineProvider({
  category: 'tasks',
  id: 'asana',
  description: 'Asana tasks, sections as statuses (asana)',
  configSchema: asanaTasksConfigSchema,
  credentials: [{ key: 'token', env: ASANA_TOKEN_ENV }],
  async create(ctx) {
    const token = ctx.credential('token', ASANA_TOKEN_ENV);
    const { AsanaTasks } = await import('./asana-tasks.js');
    const { createAsanaClient } = await import('./client.js');
    return new AsanaTasks(ctx, await createAsanaClient({ token, basePath: ctx.settings.base_url }));
  },
});
