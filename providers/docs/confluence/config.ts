// Settings of the Confluence docs provider (Cloud REST v2 through confluence.js; Data Center through REST v1).
import { z } from 'zod';
import { baseUrlSchema } from '../../schema-common.js';

export const confluenceDocsConfigSchema = z
  .strictObject({
    url: baseUrlSchema
      .optional()
      .describe('The site: https://acme.atlassian.net (Cloud) or https://confluence.acme.com (Data Center)'),
    base_url: baseUrlSchema
      .optional()
      .describe('Synonym of url (self-hosted servers, loopback test servers)'),
    deployment: z
      .enum(['cloud', 'data_center'])
      .optional()
      .describe(
        'Cloud (REST v2, email + API token) or Data Center (REST v1, personal access token); default: data_center when a PAT is set, else cloud',
      ),
    space: z
      .string()
      .min(1)
      .optional()
      .describe('Space key, as in /wiki/spaces/ENG (required when this provider is used)'),
    parent_page: z
      .string()
      .min(1)
      .optional()
      .describe('Page id (or exact title) that pages are created under; default: the space root'),
    labels: z.array(z.string().min(1)).default([]).describe('Labels added to every page aidev writes'),
    email: z
      .string()
      .optional()
      .describe('Cloud account email; default: CONFLUENCE_EMAIL, else JIRA_EMAIL. Write it as ${NAME}'),
    api_token: z
      .string()
      .optional()
      .describe('Cloud API token; default: CONFLUENCE_API_TOKEN, else JIRA_API_TOKEN. Write it as ${NAME}'),
    pat: z
      .string()
      .optional()
      .describe(
        'Data Center personal access token; default: CONFLUENCE_PAT, else JIRA_PAT. Write it as ${NAME}',
      ),
  })
  .describe('Confluence pages in one space under a parent page, in storage format, with labels');
export type ConfluenceDocsConfig = z.infer<typeof confluenceDocsConfigSchema>;

export const CONFLUENCE_ENV = {
  email: ['CONFLUENCE_EMAIL', 'JIRA_EMAIL'],
  api_token: ['CONFLUENCE_API_TOKEN', 'JIRA_API_TOKEN'],
  pat: ['CONFLUENCE_PAT', 'JIRA_PAT'],
} as const;
