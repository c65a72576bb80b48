// Settings of GitHub Issues as a task tracker (github.com or GitHub Enterprise Server through base_url).
import { z } from 'zod';
import { statusMappingSchema } from '../../schema-common.js';

export const githubTasksConfigSchema = z
  .strictObject({
    base_url: z
      .string()
      .url()
      .optional()
      .describe(
        'API endpoint: https://api.github.com (default), or https://HOST/api/v3 for GitHub Enterprise Server',
      ),
    owner: z.string().min(1).optional().describe('Repository owner; default: from the git remote'),
    repo: z
      .string()
      .min(1)
      .optional()
      .describe('Repository whose issues are the tasks; default: from the git remote'),
    token: z.string().optional().describe('API token, as ${NAME}; default: GITHUB_TOKEN, else GH_TOKEN'),
    status_mapping: statusMappingSchema
      .optional()
      .describe(
        "Label(s) marking todo, in_progress and in_review on open issues (default: in_progress 'in progress', in_review 'in review'); done closes the issue",
      ),
    issue_types: z
      .boolean()
      .default(false)
      .describe(
        'Set GitHub issue types (organizations that define them) for epic, bug, …; otherwise a type other than task becomes a label',
      ),
  })
  .describe('GitHub Issues: ids #123 or owner/repo#123; status through open/closed plus labels');
export type GithubTasksConfig = z.infer<typeof githubTasksConfigSchema>;
