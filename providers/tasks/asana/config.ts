// Settings of the Asana tracker: the workspace and project tasks live in, and which project section stands for each
// of aidev's statuses (Asana has no workflow states; `done` is also the task's completed flag).
import { z } from 'zod';

const sectionName = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const asanaTasksConfigSchema = z
  .strictObject({
    base_url: z
      .string()
      .url()
      .optional()
      .describe('API endpoint (the SDK basePath): https://app.asana.com/api/1.0 (default)'),
    workspace: z
      .string()
      .regex(/^\d+$/, 'a workspace gid (digits)')
      .optional()
      .describe("Workspace gid; default: the project's workspace"),
    project: z
      .string()
      .regex(/^\d+$/, 'a project gid (digits), as in the project URL')
      .optional()
      .describe('Project gid that tasks are listed from and created in'),
    token: z.string().optional().describe('Personal access token, as ${NAME}; default: ASANA_TOKEN'),
    max_pages: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe(
        'Pages of 100 tasks read at most when listing the project (plan re-publishing reads them all)',
      ),
    sections: z
      .strictObject({
        todo: sectionName.optional().describe("Section name(s) read as and written for 'todo'"),
        in_progress: sectionName.optional().describe("Section name(s) for 'in_progress'"),
        in_review: sectionName.optional().describe("Section name(s) for 'in_review'"),
        done: sectionName
          .optional()
          .describe("Section name(s) for 'done' (the task is also marked complete)"),
      })
      .default({})
      .describe('Status → section of the project, the first name is the one a task is moved to'),
  })
  .describe('Asana tasks of one project; statuses are sections of that project');
export type AsanaTasksConfig = z.infer<typeof asanaTasksConfigSchema>;
