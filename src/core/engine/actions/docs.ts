// Documentation action: docs.upsert_page writes one page per key (`task/<id>`), creating or updating it.
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
      return ctx.effect('page', 'docs.upsert_page', async () => {
        const page = await docs.upsertPage(
          { key: i.key, title: i.title, markdown: i.markdown, parent: i.parent },
          signalOf(ctx),
        );
        return {
          externalId: page.url,
          result: { url: page.url, id: page.id, version: page.version, key: page.key },
        };
      });
    },
  },
];
