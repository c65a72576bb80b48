// Settings of the in-repo markdown docs provider.
import { z } from 'zod';

export const localDocsConfigSchema = z
  .strictObject({
    path: z.string().default('docs').describe('Folder for pages, relative to the repository root'),
  })
  .describe('Markdown pages in the repository, upserted by slug');
export type LocalDocsConfig = z.infer<typeof localDocsConfigSchema>;
