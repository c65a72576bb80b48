// Confluence pages for aidev's page keys: one page per key in the configured space under the configured parent, in
// storage format, carrying a label derived from the key. A page is found again by the id the ledger kept, else by
// that label, else by its title (unique per space in Confluence), so a re-run or a resumed run updates it instead of
// making a second one. Updates bump the version; a stale version is re-read and retried once.
import { createHash } from 'node:crypto';
import { AidevError } from '../../../src/core/errors.js';
import { defaultRateLimitPolicy, withRateLimit } from '../../shared/rate-limit.js';
import type { DocPage, DocsProvider, ProviderContext } from '../../types.js';
import { interruptedError, type VendorHints } from '../shared/http-errors.js';
import { markdownToDoc } from '../shared/markdown-in.js';
import { docToStorage } from '../shared/storage-out.js';
import type { ConfluenceApi, ConfluencePage, PageWrite } from './confluence-api.js';
import { CONFLUENCE_ENV, type ConfluenceDocsConfig } from './config.js';
import { confluenceError, confluenceHints, confluenceRetryAfter } from './errors.js';

type Signal = { signal?: AbortSignal };

/** The label that marks a page as the one aidev writes for `key` (labels: lowercase, no spaces, ≤ 255 chars). */
export function keyLabel(key: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 180);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `aidev-${slug}-${hash}`;
}

export class ConfluenceDocs implements DocsProvider {
  readonly id = 'confluence';
  readonly #api: ConfluenceApi;
  readonly #settings: ConfluenceDocsConfig & { space: string };
  readonly #hints: VendorHints;
  readonly #site: string;
  readonly #pages = new Map<string, ConfluencePage>();
  #spaceId: Promise<string> | undefined;
  #parentId: Promise<string | undefined> | undefined;

  constructor(
    api: ConfluenceApi,
    settings: ConfluenceDocsConfig & { space: string },
    path: string,
    site: string,
    cloud: boolean,
  ) {
    this.#api = api;
    this.#settings = settings;
    this.#site = site;
    this.#hints = confluenceHints(path, cloud, settings.space);
  }

  static async connect(ctx: ProviderContext<ConfluenceDocsConfig>): Promise<ConfluenceDocs> {
    const s = ctx.settings;
    const site = s.url ?? s.base_url;
    if (!site)
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.url is not set`, {
        hint: `set ${ctx.path}.url to the Confluence site, e.g. https://acme.atlassian.net`,
      });
    if (!s.space)
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.space is not set`, {
        hint: `set ${ctx.path}.space to the space key, as in /wiki/spaces/KEY`,
      });
    const settings = { ...s, space: s.space };
    const pat = ctx.optionalCredential('pat', CONFLUENCE_ENV.pat);
    const cloud = s.deployment ? s.deployment === 'cloud' : !pat;
    if (cloud) {
      const email = ctx.credential('email', CONFLUENCE_ENV.email);
      const apiToken = ctx.credential('api_token', CONFLUENCE_ENV.api_token);
      const { CloudConfluenceApi } = await import('./confluence-api.js');
      return new ConfluenceDocs(
        new CloudConfluenceApi(site, { type: 'basic', email, apiToken }),
        settings,
        ctx.path,
        site,
        true,
      );
    }
    const token = ctx.credential('pat', CONFLUENCE_ENV.pat);
    const { DataCenterConfluenceApi } = await import('./confluence-dc-api.js');
    return new ConfluenceDocs(new DataCenterConfluenceApi(site, token), settings, ctx.path, site, false);
  }

  linkFor(key: string): string | null {
    return this.#pages.get(key)?.url ?? null;
  }

  async checkAuth(
    opts: Signal = {},
  ): Promise<{ ok: boolean; identity: string | null; detail: string; hint?: string }> {
    try {
      const who = await this.#call('read the current user', () => this.#api.currentUser(), opts);
      return { ok: true, identity: who, detail: `${who} at ${this.#site}` };
    } catch (error) {
      const e = error as AidevError;
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  async findPage(key: string, opts: Signal = {}): Promise<DocPage | null> {
    const page = await this.#locate({ key }, opts);
    return page ? this.#doc(key, page) : null;
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
    const spaceId = await this.#space(opts);
    const parentId = input.parent
      ? await this.#resolveParent(input.parent, spaceId, opts)
      : await this.#parent(spaceId, opts);
    const write: PageWrite = {
      spaceId,
      parentId,
      title: input.title,
      storage: docToStorage(markdownToDoc(input.markdown)),
    };
    const label = keyLabel(input.key);
    const existing = await this.#locate(
      { key: input.key, title: input.title, id: input.id, storage: write.storage },
      opts,
    );
    let page: ConfluencePage;
    if (!existing) {
      page = await this.#call(`create the page "${input.title}"`, () => this.#api.createPage(write), opts);
    } else if (
      existing.storage === write.storage &&
      existing.title === write.title &&
      existing.labels.includes(label)
    ) {
      // Nothing changed (a resumed step, or the same text again): no new version.
      page = existing;
    } else {
      page = await this.#update(existing, write, opts);
    }
    const missing = [label, ...this.#settings.labels].filter((l) => !page.labels.includes(l));
    if (missing.length) {
      await this.#call(`label the page "${input.title}"`, () => this.#api.addLabels(page.id, missing), opts);
      page = { ...page, labels: [...page.labels, ...missing] };
    }
    this.#pages.set(input.key, page);
    return this.#doc(input.key, page);
  }

  /** version = current + 1; on a 409 (someone else saved in between) the page is read again and the write retried once. */
  async #update(existing: ConfluencePage, write: PageWrite, opts: Signal): Promise<ConfluencePage> {
    const action = `update the page "${write.title}" (id ${existing.id})`;
    try {
      return await this.#raw(
        () => this.#api.updatePage(existing.id, write, existing.version + 1, 'Updated by aidev'),
        opts,
      );
    } catch (error) {
      if ((error as { status?: number }).status !== 409)
        throw confluenceError(error, action, this.#hints, this.#site);
      const fresh = await this.#call(
        `re-read the page ${existing.id}`,
        () => this.#api.pageById(existing.id),
        opts,
      );
      if (!fresh) throw confluenceError(error, action, this.#hints, this.#site);
      return this.#call(
        action,
        () => this.#api.updatePage(existing.id, write, fresh.version + 1, 'Updated by aidev'),
        opts,
      );
    }
  }

  async #locate(
    find: { key: string; title?: string; id?: string | undefined; storage?: string },
    opts: Signal,
  ): Promise<ConfluencePage | null> {
    const label = keyLabel(find.key);
    const known = find.id ?? this.#pages.get(find.key)?.id;
    if (known) {
      const page = await this.#call(`read the page ${known}`, () => this.#api.pageById(known), opts);
      if (page) return page;
    }
    const ids = await this.#call(
      'search pages by label',
      () => this.#api.pageIdsByLabel(this.#settings.space, label),
      opts,
    );
    for (const id of ids) {
      const page = await this.#call(`read the page ${id}`, () => this.#api.pageById(id), opts);
      if (page) return page;
    }
    if (find.title === undefined) return null;
    // The search index can lag a page made seconds ago (a run killed right after creating it); titles are exact.
    const spaceId = await this.#space(opts);
    const title = find.title;
    const byTitle = await this.#call(
      `look up the page "${title}"`,
      () => this.#api.pageByTitle(spaceId, title),
      opts,
    );
    if (!byTitle) return null;
    // Unlabelled but holding exactly the body aidev is writing: a run stopped between creating the page and
    // labelling it, now resumed.
    if (byTitle.labels.includes(label) || (find.storage !== undefined && byTitle.storage === find.storage))
      return byTitle;
    throw new AidevError(
      'PROVIDER_ERROR',
      `a page titled "${title}" already exists in Confluence space ${this.#settings.space}, and aidev did not write it for ${find.key}`,
      {
        details: { path: this.#hints.path, pageId: byTitle.id },
        hint: `Confluence titles are unique per space: rename that page, or add the label ${label} to it so aidev updates it`,
      },
    );
  }

  #space(opts: Signal): Promise<string> {
    this.#spaceId ??= this.#call(
      `find the space ${this.#settings.space}`,
      () => this.#api.spaceId(this.#settings.space),
      opts,
    ).then((id) => {
      if (id) return id;
      throw new AidevError('PROVIDER_ERROR', `Confluence has no space with the key ${this.#settings.space}`, {
        details: { path: this.#hints.path },
        hint: `check ${this.#hints.path}.space: the key, as in /wiki/spaces/KEY (the account also needs view access)`,
      });
    });
    this.#spaceId.catch(() => (this.#spaceId = undefined));
    return this.#spaceId;
  }

  #parent(spaceId: string, opts: Signal): Promise<string | undefined> {
    const configured = this.#settings.parent_page;
    if (!configured) return Promise.resolve(undefined);
    this.#parentId ??= this.#resolveParent(configured, spaceId, opts);
    this.#parentId.catch(() => (this.#parentId = undefined));
    return this.#parentId;
  }

  async #resolveParent(parent: string, spaceId: string, opts: Signal): Promise<string> {
    const page = /^\d+$/.test(parent)
      ? await this.#call(`read the parent page ${parent}`, () => this.#api.pageById(parent), opts)
      : await this.#call(
          `find the parent page "${parent}"`,
          () => this.#api.pageByTitle(spaceId, parent),
          opts,
        );
    if (page) return page.id;
    throw new AidevError('PROVIDER_ERROR', `Confluence has no page ${parent} to put pages under`, {
      details: { path: this.#hints.path },
      hint: `check ${this.#hints.path}.parent_page: a page id (the number in its URL) or exact title in space ${this.#settings.space}`,
    });
  }

  #doc(key: string, page: ConfluencePage): DocPage {
    return { id: page.id, url: page.url, version: page.version, key, title: page.title };
  }

  /** One call with the bounded 429 wait, failures mapped to AidevErrors. */
  async #call<T>(action: string, fn: () => Promise<T>, opts: Signal): Promise<T> {
    try {
      return await this.#raw(fn, opts);
    } catch (error) {
      throw (
        interruptedError(action, opts.signal, error) ??
        confluenceError(error, action, this.#hints, this.#site)
      );
    }
  }

  #raw<T>(fn: () => Promise<T>, opts: Signal): Promise<T> {
    return withRateLimit(fn, confluenceRetryAfter, defaultRateLimitPolicy, opts.signal);
  }
}
