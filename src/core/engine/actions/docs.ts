// Documentation action: docs.upsert_page writes one page per key (`task/<id>`), creating or updating it.
// Besides the run's own effect, the ledger keeps one row per page key (`docs-page:<provider>:<key>` → page id) across
// runs, so a later run of the same task updates that page even when its title changed, never making a second one.
import { z } from 'zod';
import type { ProviderAction } from '../types.js';
import { signalOf } from './shared.js';

export const docsActions: ProviderAction[] = [
  {
    name: 'docs.upsert_page',
    description: 'Creates or updates the documentation page with this key',
    input: z.strictObject({
      key: z.string().min(1),
      title: z.string().min(1),
      markdown: z.string(),
      parent: z.string().optional(),
    }),
    outputs: ['url', 'id', 'version', 'key'],
    async run(input, ctx) {
      const i = input as { key: string; title: string; markdown: string; parent?: string };
      const docs = await ctx.providers.get('docs');
      const pageRow = `docs-page:${ctx.providers.idOf('docs')}:${i.key}`;
      return ctx.effect('page', 'docs.upsert_page', async () => {
        const known = ctx.ledger.getEffect(pageRow);
        const page = await docs.upsertPage(
          {
            key: i.key,
            title: i.title,
            markdown: i.markdown,
            parent: i.parent,
            cwd: docs.writesToWorktree ? ctx.cwd() : undefined,
            id: known?.status === 'done' ? (known.externalId ?? undefined) : undefined,
          },
          signalOf(ctx),
        );
        const at = ctx.runtime.clock.now().toISOString();
        ctx.ledger.beginEffect({ key: pageRow, runId: ctx.runId, stepId: ctx.stepId, kind: 'docs.page' }, at);
        ctx.ledger.completeEffect(pageRow, page.id, { key: page.key, url: page.url, title: page.title }, at);
        return {
          externalId: page.url,
          result: { url: page.url, id: page.id, version: page.version, key: page.key },
        };
      });
    },
  },
];
