// Registry entry of the in-repo markdown docs.
import { defineProvider } from '../../types.js';
import { localDocsConfigSchema } from './config.js';

export const localDocsProvider = defineProvider({
  category: 'docs',
  id: 'local',
  description: 'Markdown pages in the repository',
  configSchema: localDocsConfigSchema,
  credentials: [],
  async create(ctx) {
    const { LocalDocs } = await import('./local-docs.js');
    return new LocalDocs(ctx);
  },
});
