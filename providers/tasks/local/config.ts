// Settings of the local markdown tracker (the embedded default).
import { z } from 'zod';
import { customFieldsSchema, statusMappingSchema } from '../../schema-common.js';

export const localTasksConfigSchema = z
  .strictObject({
    dir: z.string().default('.aidev/tasks').describe('Folder of task files, relative to the repository root'),
    prefix: z
      .string()
      .regex(/^[A-Z][A-Z0-9]*$/, 'use capital letters and digits, e.g. TASK or AUTH')
      .default('TASK')
      .describe('Task id prefix: ids are <PREFIX>-<n>'),
    status_mapping: statusMappingSchema.optional(),
    custom_fields: customFieldsSchema.optional(),
  })
  .describe('Markdown files with YAML front matter, one per task');
export type LocalTasksConfig = z.infer<typeof localTasksConfigSchema>;
