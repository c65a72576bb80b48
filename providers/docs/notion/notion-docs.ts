// Notion pages for aidev's page keys: a child page of the configured parent page, or a row of the configured
// database (found again by its key property). The body is written as Notion blocks within the API's limits; an update
// appends the new blocks and then deletes the old ones, so the page is never empty. The page's first block, made in
// the same request as the page, is a small line naming the key and a revision number: Notion keeps no version numbers,
// and it proves a page found by its title to be aidev's, even when a run stopped right after creating it.
import { Client, type BlockObjectRequest, type CreatePageParameters } from '@notionhq/client';
import { AidevError } from '../../../src/core/errors.js';
import type { DocPage, DocsProvider, ProviderContext } from '../../types.js';
import { markdownToDoc } from '../shared/markdown-in.js';
import { docToNotion, richText, type NotionBlock } from '../shared/notion-out.js';
import type { NotionDocsConfig } from './config.js';
import { notionError, notionHints } from './errors.js';
import { marker, markerOf, NotionCaller, notionId } from './notion-calls.js';
import { appendTree } from './notion-batches.js';

type Signal = { signal?: AbortSignal };
interface Found {
  id: string;
  url: string;
  title?: string | undefined;
}
interface Listed {
  id: string;
  type: string;
  [key: string]: unknown;
}

export class NotionDocs implements DocsProvider {
  readonly id = 'notion';
  readonly #client: Client;
  readonly #settings: NotionDocsConfig;
  readonly #hints: ReturnType<typeof notionHints>;
  readonly #baseUrl: string;
  readonly #caller: NotionCaller;
  readonly #pages = new Map<string, Found>();
  #dataSource: Promise<string> | undefined;

  constructor(client: Client, settings: NotionDocsConfig, path: string, baseUrl: string, now: () => number) {
    this.#client = client;
    this.#settings = settings;
    this.#baseUrl = baseUrl;
    this.#hints = notionHints(
      path,
      settings.database ? `database ${settings.database}` : `parent page ${settings.parent_page ?? ''}`,
    );
    this.#caller = new NotionCaller(this.#hints, baseUrl, settings.requests_per_second, now);
  }

  static connect(ctx: ProviderContext<NotionDocsConfig>): NotionDocs {
    const s = ctx.settings;
    if (!s.parent_page === !s.database)
      throw new AidevError('CONFIG_INVALID', `${ctx.path} needs exactly one of parent_page or database`, {
        hint: `set ${ctx.path}.parent_page to a page id (pages go under it) or ${ctx.path}.database to a database id (pages become its rows)`,
      });
    const baseUrl = s.base_url ?? 'https://api.notion.com';
    // The SDK's own retry is off: 429s go through the shared bounded wait, like every other provider.
    const client = new Client({
      auth: ctx.credential('token', 'NOTION_TOKEN'),
      baseUrl,
      retry: false,
      timeoutMs: 60_000,
    });
    return new NotionDocs(client, s, ctx.path, baseUrl, () => ctx.runtime.clock.now().getTime());
  }

  linkFor(key: string): string | null {
    return this.#pages.get(key)?.url ?? null;
  }

  async checkAuth(
    opts: Signal = {},
  ): Promise<{ ok: boolean; identity: string | null; detail: string; hint?: string }> {
    try {
      const me = await this.#call('read the integration user', () => this.#client.users.me({}), opts);
      return { ok: true, identity: me.name ?? me.id, detail: `${me.name ?? me.id} at ${this.#baseUrl}` };
    } catch (error) {
      const e = error as AidevError;
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  async findPage(key: string, opts: Signal = {}): Promise<DocPage | null> {
    const found = await this.#locate(key, undefined, undefined, opts);
    if (!found) return null;
    const mark = markerOf((await this.#children(found.id, opts))[0]);
    const title = found.title ?? (await this.#page(found.id, opts))?.title ?? key;
    return { id: found.id, url: found.url, version: mark?.revision ?? 1, key, title };
  }

  async upsertPage(
    input: {
      key: string;
      title: string;
      markdown: string;
      parent?: string | undefined;
      id?: string | undefined;
    },
    opts: Signal = {},
  ): Promise<DocPage> {
    const body = docToNotion(markdownToDoc(input.markdown));
    const found = await this.#locate(input.key, input.title, input.id, opts);
    let page: Found;
    let revision = 1;
    if (!found) {
      page = await this.#create(input.title, input.key, input.parent, opts);
      await this.#append(page.id, body, opts);
    } else {
      page = found;
      const old = await this.#children(page.id, opts);
      const mark = markerOf(old[0]);
      // An empty page is one a stopped run created before its marker could land (or an empty one: safe to fill).
      if (!this.#settings.database && old.length > 0 && mark?.key !== input.key)
        throw new AidevError(
          'PROVIDER_ERROR',
          `a Notion page titled "${input.title}" already exists under the parent page, and aidev did not write it for ${input.key}`,
          {
            details: { path: this.#hints.path, pageId: page.id },
            hint: 'rename or move that page, or set a different parent_page',
          },
        );
      revision = (mark?.revision ?? 0) + 1;
      await this.#call(
        `rename the page ${page.id}`,
        () =>
          this.#client.pages.update({
            page_id: page.id,
            properties: this.#properties(input.title, input.key) as never,
          }),
        opts,
      );
      await this.#append(page.id, mark ? body : [marker(input.key, revision), ...body], opts);
      for (const block of mark ? old.slice(1) : old)
        await this.#call(
          `delete an old block of the page ${page.id}`,
          () => this.#client.blocks.delete({ block_id: block.id }),
          opts,
        );
      if (mark) {
        const text = marker(input.key, revision).paragraph as { rich_text: unknown[] };
        await this.#call(
          `update the revision of the page ${page.id}`,
          () => this.#client.blocks.update({ block_id: old[0]!.id, paragraph: text as never }),
          opts,
        );
      }
    }
    this.#pages.set(input.key, page);
    return { id: page.id, url: page.url, version: revision, key: input.key, title: input.title };
  }

  async #create(title: string, key: string, parent: string | undefined, opts: Signal): Promise<Found> {
    const target: CreatePageParameters['parent'] = this.#settings.database
      ? { type: 'data_source_id', data_source_id: await this.#dataSourceId(opts) }
      : { type: 'page_id', page_id: notionId(parent ?? this.#settings.parent_page!) };
    const created = await this.#call(
      `create the page "${title}"`,
      () =>
        this.#client.pages.create({
          parent: target,
          properties: this.#properties(title, key) as CreatePageParameters['properties'],
          children: [marker(key, 1) as unknown as BlockObjectRequest],
        }),
      opts,
    );
    return { id: created.id, url: 'url' in created ? created.url : '' };
  }

  #properties(title: string, key: string): Record<string, unknown> {
    const props: Record<string, unknown> = { title: { title: richText([{ text: title, marks: {} }]) } };
    if (this.#settings.database) {
      Object.assign(props, this.#settings.properties);
      props[this.#settings.key_property] = { rich_text: richText([{ text: key, marks: {} }]) };
    }
    return props;
  }

  /** The page for a key: the ledger's id, this process's cache, then the database key property or the parent's child of that title. */
  async #locate(
    key: string,
    title: string | undefined,
    id: string | undefined,
    opts: Signal,
  ): Promise<Found | null> {
    const known = id ?? this.#pages.get(key)?.id;
    if (known) {
      const page = await this.#page(known, opts);
      if (page) return page;
    }
    if (this.#settings.database) {
      const dataSource = await this.#dataSourceId(opts);
      const rows = await this.#call(
        `find the row for ${key}`,
        () =>
          this.#client.dataSources.query({
            data_source_id: dataSource,
            filter: { property: this.#settings.key_property, rich_text: { equals: key } },
            page_size: 1,
          }),
        opts,
      );
      const row = rows.results[0];
      return row ? { id: row.id, url: 'url' in row ? row.url : '' } : null;
    }
    if (title === undefined) return null;
    const parent = notionId(this.#settings.parent_page!);
    const child = (await this.#children(parent, opts)).find(
      (b) => b.type === 'child_page' && (b.child_page as { title?: string }).title === title,
    );
    return child ? this.#page(child.id, opts) : null;
  }

  async #page(id: string, opts: Signal): Promise<Found | null> {
    try {
      const page = await this.#caller.raw(() => this.#client.pages.retrieve({ page_id: id }), opts);
      const gone = 'in_trash' in page && (page.in_trash || page.archived);
      if (gone) return null;
      return {
        id: page.id,
        url: 'url' in page ? page.url : '',
        title: 'properties' in page ? titleOf(page.properties) : undefined,
      };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw notionError(error, `read the page ${id}`, this.#hints, this.#baseUrl);
    }
  }

  #dataSourceId(opts: Signal): Promise<string> {
    const database = notionId(this.#settings.database!);
    this.#dataSource ??= this.#call(
      `read the database ${database}`,
      () => this.#client.databases.retrieve({ database_id: database }),
      opts,
    ).then((db) => {
      const first = 'data_sources' in db ? db.data_sources[0]?.id : undefined;
      if (first) return first;
      throw new AidevError(
        'PROVIDER_ERROR',
        `the Notion database ${database} has no data source to add rows to`,
        {
          details: { path: this.#hints.path },
          hint: `check ${this.#hints.path}.database: a database id (not a view or a linked database)`,
        },
      );
    });
    this.#dataSource.catch(() => (this.#dataSource = undefined));
    return this.#dataSource;
  }

  async #children(blockId: string, opts: Signal): Promise<Listed[]> {
    const out: Listed[] = [];
    let cursor: string | undefined;
    do {
      const start = cursor;
      const page = await this.#call(
        `list the blocks of ${blockId}`,
        () =>
          this.#client.blocks.children.list({
            block_id: blockId,
            page_size: 100,
            ...(start ? { start_cursor: start } : {}),
          }),
        opts,
      );
      out.push(...(page.results as Listed[]));
      cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
    } while (cursor);
    return out;
  }

  async #append(pageId: string, blocks: NotionBlock[], opts: Signal): Promise<void> {
    await appendTree(pageId, blocks, async (parent, children) => {
      const done = await this.#call(
        `append blocks to ${parent}`,
        () =>
          this.#client.blocks.children.append({
            block_id: parent,
            children: children as unknown as BlockObjectRequest[],
          }),
        opts,
      );
      return done.results.map((r) => r.id);
    });
  }

  #call<T>(action: string, fn: () => Promise<T>, opts: Signal): Promise<T> {
    return this.#caller.call(action, fn, opts);
  }
}

/** The plain text of a page's title property (its id is always `title`). */
function titleOf(properties: Record<string, unknown>): string | undefined {
  const prop = Object.values(properties).find((p) => (p as { type?: string }).type === 'title') as
    { title?: { plain_text?: string }[] } | undefined;
  return prop?.title?.map((t) => t.plain_text ?? '').join('');
}
