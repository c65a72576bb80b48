// Registry entry of the local code host.
import { defineProvider } from '../../types.js';
import { localVcsConfigSchema } from './config.js';

export const localVcsProvider = defineProvider({
  category: 'vcs',
  id: 'local',
  description: 'Any git remote; pull requests written as markdown files',
  configSchema: localVcsConfigSchema,
  credentials: [],
  async create(ctx) {
    const { LocalVcs } = await import('./local-vcs.js');
    return new LocalVcs(ctx);
  },
});
