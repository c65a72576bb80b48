// Settings of the Notion docs provider (@notionhq/client).
import { z } from 'zod';
import { baseUrlSchema } from '../../schema-common.js';

export const notionDocsConfigSchema = z
  .strictObject({
    token: z
      .string()
      .optional()
      .describe('Integration token; default: the NOTION_TOKEN variable. Write it as ${NAME}, never inline'),
    base_url: baseUrlSchema
      .optional()
      .describe('API endpoint (the SDK baseUrl); default: https://api.notion.com'),
    parent_page: z.string().min(1).optional().describe('Page id (or URL) that pages are created under'),
    database: z
      .string()
      .min(1)
      .optional()
      .describe('Database id (or URL) that pages are created in as rows; instead of parent_page'),
    key_property: z
      .string()
      .min(1)
      .default('aidev key')
      .describe('Text property of the database that holds the page key, so a re-run finds its row'),
    properties: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'Further database properties for every row, as Notion property values, e.g. {Type: {select: {name: Docs}}}',
      ),
    requests_per_second: z
      .number()
      .positive()
      .default(3)
      .describe("Client-side pace, under Notion's average of 3 requests a second per integration"),
  })
  .describe('Notion pages under a parent page, or rows of a database, written as Notion blocks');
export type NotionDocsConfig = z.infer<typeof notionDocsConfigSchema>;
