// Settings of the GitBook docs provider: Git Sync (pages as markdown in the synced folder, on the run's branch) or
// the API (a change request per page, merged only when allowed).
import { z } from 'zod';
import { baseUrlSchema } from '../../schema-common.js';

export const gitbookDocsConfigSchema = z
  .strictObject({
    git_sync_path: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Git Sync: the repository folder GitBook syncs (its root, holding SUMMARY.md), e.g. docs. Pages ship with the PR',
      ),
    site_url: z
      .string()
      .url()
      .optional()
      .describe('Git Sync: the published site URL, to link pages (default: the path in the repository)'),
    commit: z
      .boolean()
      .default(true)
      .describe(
        "Git Sync: once the run's branch is on the remote, commit the page on it and push; before that the run's own commit takes it",
      ),
    space: z
      .string()
      .min(1)
      .optional()
      .describe('API: the space id (from its URL) that pages are written to'),
    parent_page: z
      .string()
      .min(1)
      .optional()
      .describe('API: id of the page that new pages go under; default: the space root'),
    merge: z
      .boolean()
      .default(false)
      .describe('API: merge the change request right away; default false: it waits for a review in GitBook'),
    token: z
      .string()
      .optional()
      .describe('API token; default: the GITBOOK_TOKEN variable. Write it as ${NAME}, never inline'),
    base_url: baseUrlSchema
      .optional()
      .describe('API endpoint (the SDK endpoint); default: https://api.gitbook.com'),
  })
  .describe('GitBook pages through Git Sync (markdown in the repository) or the API (change requests)');
export type GitbookDocsConfig = z.infer<typeof gitbookDocsConfigSchema>;

/** The page's slug, derived from its key: stable across title changes, and what finds the page again. */
export function keySlug(key: string): string {
  return (
    key
      .split('/')
      .map((part) =>
        part
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, '-')
          .replace(/^[-.]+|-+$/g, ''),
      )
      .filter(Boolean)
      .join('/') || 'page'
  );
}
