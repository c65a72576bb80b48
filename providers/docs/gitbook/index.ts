// Registry entry of the GitBook docs provider; the Git Sync writer or the @gitbook/api client loads inside create().
import { AidevError } from '../../../src/core/errors.js';
import { defineProvider } from '../../types.js';
import { gitbookDocsConfigSchema } from './config.js';

export const gitbookDocsProvider = defineProvider({
  category: 'docs',
  id: 'gitbook',
  description: 'GitBook pages (Git Sync markdown on the run branch, or API change requests)',
  configSchema: gitbookDocsConfigSchema,
  // Git Sync needs no token; the API mode asks for GITBOOK_TOKEN in create().
  credentials: [{ key: 'token', env: ['GITBOOK_TOKEN'], optional: true }],
  async create(ctx) {
    const s = ctx.settings;
    if (s.git_sync_path) {
      const { GitbookGitSync } = await import('./gitbook-git-sync.js');
      return new GitbookGitSync(ctx);
    }
    if (s.space) {
      const { GitbookApiDocs } = await import('./gitbook-api.js');
      return GitbookApiDocs.connect(ctx);
    }
    throw new AidevError('CONFIG_INVALID', `${ctx.path} needs git_sync_path or space`, {
      hint: `set ${ctx.path}.git_sync_path to the folder GitBook syncs (pages ship with the PR), or ${ctx.path}.space to a space id (pages go through change requests)`,
    });
  },
});
