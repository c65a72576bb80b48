// Registry entry of the GitLab code host. gitbeaker loads inside create(), never at startup.
import { defineProvider } from '../../types.js';
import { gitlabVcsConfigSchema } from './config.js';

export const GITLAB_TOKEN_ENV = ['GITLAB_TOKEN'] as const;

export const gitlabVcsProvider = defineProvider({
  category: 'vcs',
  id: 'gitlab',
  description: 'GitLab or self-managed GitLab merge requests (@gitbeaker/rest)',
  configSchema: gitlabVcsConfigSchema,
  credentials: [{ key: 'token', env: GITLAB_TOKEN_ENV }],
  async create(ctx) {
    const { GitlabVcs } = await import('./gitlab-vcs.js');
    return new GitlabVcs(ctx, { token: ctx.credential('token', GITLAB_TOKEN_ENV) });
  },
});
