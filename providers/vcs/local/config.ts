// Settings of the local code host: push to any git remote, PRs as markdown files.
import { z } from 'zod';

export const localVcsConfigSchema = z
  .strictObject({
    pull_requests_dir: z
      .string()
      .default('.aidev/pull-requests')
      .describe('Where "opened" pull requests are written as markdown, relative to the repository root'),
  })
  .describe('Pushes to the configured git remote (any URL git accepts) and records pull requests as files');
export type LocalVcsConfig = z.infer<typeof localVcsConfigSchema>;
