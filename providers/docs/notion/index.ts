// Registry entry of the Notion docs provider; @notionhq/client loads inside create().
import { defineProvider } from '../../types.js';
import { notionDocsConfigSchema } from './config.js';

export const notionDocsProvider = defineProvider({
  category: 'docs',
  id: 'notion',
  description: 'Notion pages or database rows (@notionhq/client)',
  configSchema: notionDocsConfigSchema,
  credentials: [{ key: 'token', env: ['NOTION_TOKEN'] }],
  async create(ctx) {
    const { NotionDocs } = await import('./notion-docs.js');
    return NotionDocs.connect(ctx);
  },
});
