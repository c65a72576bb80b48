// Settings of the Bitbucket Cloud code host (REST 2.0; base_url for a proxy or a loopback test server).
import { z } from 'zod';

export const bitbucketVcsConfigSchema = z
  .strictObject({
    base_url: z.string().url().optional().describe('API endpoint: https://api.bitbucket.org/2.0 (default)'),
    workspace: z.string().min(1).optional().describe('Workspace slug (or id); default: from the git remote'),
    repo: z.string().min(1).optional().describe('Repository slug; default: from the git remote'),
    token: z
      .string()
      .optional()
      .describe('Repository, project or workspace access token, as ${NAME}; default: BITBUCKET_TOKEN'),
    username: z
      .string()
      .optional()
      .describe('Bitbucket username for an app password, as ${NAME}; default: BITBUCKET_USERNAME'),
    app_password: z
      .string()
      .optional()
      .describe('App password (used when no token is set), as ${NAME}; default: BITBUCKET_APP_PASSWORD'),
    draft: z.boolean().optional().describe('Open pull requests as drafts (default: vcs.draft)'),
    reviewers: z
      .array(z.string())
      .default([])
      .describe('Reviewers of every pull request: account UUIDs ({…}) or account ids'),
    default_reviewers: z
      .boolean()
      .default(true)
      .describe("Add the repository's effective default reviewers (the API does not add them by itself)"),
    close_source_branch: z
      .boolean()
      .default(true)
      .describe('Close the source branch when the pull request is merged'),
  })
  .describe(
    'Bitbucket Cloud pull requests; pushes go to the git remote, with the credentials for https remotes on this host',
  );
export type BitbucketVcsConfig = z.infer<typeof bitbucketVcsConfigSchema>;
