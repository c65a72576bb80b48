// Registry entry of GitHub Issues as a tracker. The Octokit SDK loads inside create(), never at startup.
import { defineProvider } from '../../types.js';
import { githubTasksConfigSchema } from './config.js';

const GITHUB_TOKEN_ENV = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export const githubTasksProvider = defineProvider({
  category: 'tasks',
  id: 'github',
  description: 'GitHub Issues (@octokit/rest); status through open/closed and labels',
  configSchema: githubTasksConfigSchema,
  credentials: [{ key: 'token', env: GITHUB_TOKEN_ENV }],
  async create(ctx) {
    const { GithubTasks } = await import('./github-tasks.js');
    return new GithubTasks(ctx, { token: ctx.credential('token', GITHUB_TOKEN_ENV) });
  },
});
