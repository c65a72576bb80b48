// Settings shared by provider blocks: status mapping onto the tracker's states, and custom field ids.
import { z } from 'zod';

export const statusMappingSchema = z
  .strictObject({
    todo: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe("Tracker state(s) read as and written for 'todo'"),
    in_progress: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe("Tracker state(s) for 'in_progress'"),
    in_review: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe("Tracker state(s) for 'in_review'"),
    done: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe("Tracker state(s) for 'done'"),
  })
  .describe(
    "Maps aidev's standard statuses onto the tracker's own state names; the first name is the one written",
  );

export const customFieldsSchema = z
  .record(z.string(), z.string())
  .describe('Standard field name (repo_url, pr_url, …) to the tracker custom field id');

export const baseUrlSchema = z
  .string()
  .url()
  .describe('The vendor API endpoint (self-hosted servers, loopback test servers)');

/** The first tracker state name for a standard status, or undefined when unmapped. */
export function mappedState(
  mapping: z.infer<typeof statusMappingSchema> | undefined,
  status: keyof z.infer<typeof statusMappingSchema>,
): string | undefined {
  const value = mapping?.[status];
  return Array.isArray(value) ? value[0] : value;
}
