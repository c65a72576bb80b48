// Registry entry of the Confluence docs provider; confluence.js loads inside create().
import { defineProvider } from '../../types.js';
import { CONFLUENCE_ENV, confluenceDocsConfigSchema } from './config.js';

export const confluenceDocsProvider = defineProvider({
  category: 'docs',
  id: 'confluence',
  description: 'Confluence pages (Cloud REST v2 via confluence.js, or Data Center)',
  configSchema: confluenceDocsConfigSchema,
  // Either email + API token (Cloud) or a PAT (Data Center): create() says which one is missing.
  credentials: [
    { key: 'email', env: CONFLUENCE_ENV.email, optional: true },
    { key: 'api_token', env: CONFLUENCE_ENV.api_token, optional: true },
    { key: 'pat', env: CONFLUENCE_ENV.pat, optional: true },
  ],
  credentialSets: [['email', 'api_token'], ['pat']],
  async create(ctx) {
    const { ConfluenceDocs } = await import('./confluence-docs.js');
    return ConfluenceDocs.connect(ctx);
  },
});
