// Settings of the Linear tracker (GraphQL API through @linear/sdk).
import { z } from 'zod';
import { baseUrlSchema, customFieldsSchema, statusMappingSchema } from '../../schema-common.js';

export const linearTasksConfigSchema = z
  .strictObject({
    api_key: z
      .string()
      .optional()
      .describe('Personal API key; default: the LINEAR_API_KEY variable. Write it as ${NAME}, never inline'),
    base_url: baseUrlSchema
      .optional()
      .describe('GraphQL endpoint (the SDK apiUrl); default: https://api.linear.app/graphql'),
    team: z
      .string()
      .min(1)
      .optional()
      .describe('Team key (ENG), name or id: where new issues go and what `tasks list` shows'),
    project: z.string().min(1).optional().describe('Project name or id that new issues join (optional)'),
    create_labels: z
      .boolean()
      .default(true)
      .describe('Create labels the team lacks when an issue is created with them; false makes them an error'),
    status_mapping: statusMappingSchema.optional(),
    custom_fields: customFieldsSchema.optional(),
  })
  .describe('Linear issues: ENG-123 identifiers, team workflow states, blocking relations');
export type LinearTasksConfig = z.infer<typeof linearTasksConfigSchema>;
