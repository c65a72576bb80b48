// Settings of the GitHub code host (github.com or GitHub Enterprise Server through base_url).
import { z } from 'zod';

export const githubVcsConfigSchema = z
  .strictObject({
    base_url: z
      .string()
      .url()
      .optional()
      .describe(
        'API endpoint: https://api.github.com (default), or https://HOST/api/v3 for GitHub Enterprise Server',
      ),
    owner: z
      .string()
      .min(1)
      .optional()
      .describe('Repository owner (user or organization); default: from the git remote'),
    repo: z.string().min(1).optional().describe('Repository name; default: from the git remote'),
    token: z
      .string()
      .optional()
      .describe('API and https push token, as ${NAME}; default: GITHUB_TOKEN, else GH_TOKEN'),
    draft: z.boolean().optional().describe('Open pull requests as drafts (default: vcs.draft)'),
    labels: z.array(z.string()).default([]).describe('Labels added to every pull request'),
    reviewers: z
      .array(z.string())
      .default([])
      .describe('Reviewers requested on every pull request: user logins, or org/team-slug for teams'),
    assignees: z.array(z.string()).default([]).describe('Users assigned to every pull request'),
  })
  .describe(
    'GitHub pull requests; pushes go to the git remote, with the token for https remotes on this host',
  );
export type GithubVcsConfig = z.infer<typeof githubVcsConfigSchema>;
