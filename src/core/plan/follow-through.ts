// After publishing: the "Project plan" page through the docs provider, keyed `plan/<plan-id>` (an upsert, so a re-run
// updates it), with a link to every tracker item. The chat notice is the workflow's chat.notify step.
import type { DocsProvider } from '../../../providers/types.js';
import { planMarkdown } from './markdown.js';
import type { Plan } from './schema.js';
import type { PublishedItem } from './store.js';

export function pageKey(planId: string): string {
  return `plan/${planId}`;
}

export async function writePlanPage(input: {
  docs: DocsProvider;
  plan: Plan;
  planId: string;
  items: readonly PublishedItem[];
  signal?: AbortSignal | undefined;
}): Promise<{ key: string; url: string }> {
  const key = pageKey(input.planId);
  const link = input.docs.linkFor(key);
  // A page in the repository links to tracker files by relative path; a page on a server keeps URLs as they are.
  const pagePath = link && !/^[a-z][a-z0-9+.-]*:/i.test(link) ? link : null;
  const page = await input.docs.upsertPage(
    {
      key,
      title: `Project plan: ${input.plan.project.name}`,
      markdown: planMarkdown(input.plan, { planId: input.planId, items: input.items, pagePath }),
    },
    input.signal ? { signal: input.signal } : {},
  );
  return { key, url: page.url };
}
