// Registry entry of the GitHub code host. The Octokit SDK loads inside create(), never at startup.
import { defineProvider } from '../../types.js';
import { githubVcsConfigSchema } from './config.js';

const GITHUB_TOKEN_ENV = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export const githubVcsProvider = defineProvider({
  category: 'vcs',
  id: 'github',
  description: 'GitHub or GitHub Enterprise pull requests (@octokit/rest)',
  configSchema: githubVcsConfigSchema,
  credentials: [{ key: 'token', env: GITHUB_TOKEN_ENV }],
  async create(ctx) {
    const { GithubVcs } = await import('./github-vcs.js');
    return new GithubVcs(ctx, { token: ctx.credential('token', GITHUB_TOKEN_ENV) });
  },
});
