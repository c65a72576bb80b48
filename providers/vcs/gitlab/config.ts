// Settings of the GitLab code host (gitlab.com, or a self-managed instance through base_url).
import { z } from 'zod';

export const gitlabVcsConfigSchema = z
  .strictObject({
    base_url: z
      .string()
      .url()
      .optional()
      .describe(
        'The GitLab instance (the SDK host): https://gitlab.com (default), or https://gitlab.example.com',
      ),
    project: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Project path with its groups (group/sub/project) or numeric id; default: from the git remote',
      ),
    token: z
      .string()
      .optional()
      .describe(
        'Personal, project or group access token (scopes api + write_repository), as ${NAME}; default: GITLAB_TOKEN',
      ),
    draft: z.boolean().optional().describe('Open merge requests as drafts (default: vcs.draft)'),
    labels: z.array(z.string()).default([]).describe('Labels added to every merge request'),
    reviewers: z.array(z.string()).default([]).describe('Reviewers of every merge request: GitLab usernames'),
    assignees: z
      .array(z.string())
      .default([])
      .describe('Users assigned to every merge request: GitLab usernames'),
    remove_source_branch: z
      .boolean()
      .default(true)
      .describe('Delete the source branch when the merge request is merged'),
  })
  .describe(
    'GitLab merge requests; pushes go to the git remote, with the token for https remotes on this host',
  );
export type GitlabVcsConfig = z.infer<typeof gitlabVcsConfigSchema>;
