// Settings of the Jira tracker: Jira Cloud (email + API token) or Jira Data Center (personal access token).
import { z } from 'zod';
import { customFieldsSchema, statusMappingSchema } from '../../schema-common.js';

export const jiraConfigSchema = z
  .strictObject({
    url: z
      .string()
      .url()
      .optional()
      .describe(
        'The Jira site: https://acme.atlassian.net (Cloud) or https://jira.example.com[/context] (Data Center)',
      ),
    base_url: z.string().url().optional().describe('Same as url (every SaaS provider takes base_url)'),
    deployment: z
      .enum(['cloud', 'data_center'])
      .optional()
      .describe(
        'cloud (REST v3, rich text as ADF) or data_center (REST v2, wiki markup); default: data_center when pat is set',
      ),
    project: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key, e.g. AUTH')
      .optional()
      .describe('Project key: new issues go here, and `aidev tasks list` shows it by default'),
    email: z.string().optional().describe('Cloud account email, as ${NAME}; default: JIRA_EMAIL'),
    api_token: z.string().optional().describe('Cloud API token, as ${NAME}; default: JIRA_API_TOKEN'),
    pat: z.string().optional().describe('Data Center personal access token, as ${NAME}; default: JIRA_PAT'),
    issue_types: z
      .strictObject({
        epic: z.string().default('Epic'),
        task: z.string().default('Task'),
        subtask: z.string().default('Sub-task'),
        story: z.string().default('Story'),
        bug: z.string().default('Bug'),
      })
      .prefault({})
      .describe("Issue type names for aidev's task types (Jira's names differ by language and scheme)"),
    jql: z
      .string()
      .optional()
      .describe(
        'The JQL behind `aidev tasks list` (default: project = <project> ORDER BY created DESC); filters are ANDed on',
      ),
    link_type: z.string().default('Blocks').describe('Issue link type for "blocks" dependencies'),
    status_mapping: statusMappingSchema.optional(),
    custom_fields: customFieldsSchema.optional(),
  })
  .describe('Jira Cloud or Data Center issues (jira.js)');
export type JiraConfig = z.infer<typeof jiraConfigSchema>;
