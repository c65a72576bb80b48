// GitBook through its API (@gitbook/api): each write is a change request holding an insert_page or update_page with
// the page as markdown; it is merged only when `merge: true`, else it waits for a review in GitBook and a re-run adds
// to the same open change request. Pages are found again by their slug, derived from the key (titles may change).
import { GitBookAPI } from '@gitbook/api';
import type { GitbookClient, GitbookPageRef } from './gitbook-client.js';
import { AidevError, isAidevError } from '../../../src/core/errors.js';
import {
  defaultRateLimitPolicy,
  parseRetryAfter,
  RateLimited,
  withRateLimit,
} from '../../shared/rate-limit.js';
import type { DocPage, DocsProvider, ProviderContext } from '../../types.js';
import { docToGitbook } from '../shared/gitbook-markdown.js';
import {
  docsHttpError,
  interruptedError,
  isNetworkFailure,
  networkError,
  rateLimitedError,
  type VendorHints,
} from '../shared/http-errors.js';
import { markdownToDoc } from '../shared/markdown-in.js';
import { keySlug, type GitbookDocsConfig } from './config.js';

type Signal = { signal?: AbortSignal };
type TreePage = GitbookPageRef;

export class GitbookApiDocs implements DocsProvider {
  readonly id = 'gitbook';
  readonly #api: GitbookClient;
  readonly #space: string;
  readonly #settings: GitbookDocsConfig;
  readonly #hints: VendorHints;
  readonly #endpoint: string;
  readonly #links = new Map<string, string>();

  constructor(api: GitbookClient, settings: GitbookDocsConfig, path: string, endpoint: string) {
    this.#api = api;
    this.#settings = settings;
    this.#space = settings.space!;
    this.#endpoint = endpoint;
    this.#hints = {
      vendor: 'GitBook',
      path,
      auth: `check GITBOOK_TOKEN (or ${path}.token): a personal access token from GitBook → Settings → Developer`,
      forbidden: `the token's user needs the "Editor" role in space ${settings.space ?? ''} (and "Admin" or "Creator" for merge: true)`,
      notFound: `check ${path}.space (the id in the space's URL) and ${path}.parent_page`,
      conflict: 'the change request has conflicts with the live content; resolve them in GitBook',
    };
  }

  static connect(ctx: ProviderContext<GitbookDocsConfig>): GitbookApiDocs {
    const endpoint = ctx.settings.base_url ?? 'https://api.gitbook.com';
    const api = new GitBookAPI({
      authToken: ctx.credential('token', 'GITBOOK_TOKEN'),
      endpoint,
    }) as unknown as GitbookClient;
    return new GitbookApiDocs(api, ctx.settings, ctx.path, endpoint);
  }

  linkFor(key: string): string | null {
    return this.#links.get(key) ?? null;
  }

  async checkAuth(
    opts: Signal = {},
  ): Promise<{ ok: boolean; identity: string | null; detail: string; hint?: string }> {
    try {
      const user = await this.#call(
        'read the current user',
        () => this.#api.user.getAuthenticatedUser(),
        opts,
      );
      const who = user.email ?? user.displayName;
      return { ok: true, identity: who, detail: `${who} at ${this.#endpoint}` };
    } catch (error) {
      const e = error as AidevError;
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  async findPage(key: string, opts: Signal = {}): Promise<DocPage | null> {
    const live = await this.#call(
      'list the pages of the space',
      () => this.#api.spaces.listPages(this.#space),
      opts,
    );
    const page = findSlug(live.pages, keySlug(key).replace(/\//g, '-'));
    return page ? { id: page.id, key, title: page.title, url: page.urls?.app ?? '', version: 1 } : null;
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
    const slug = keySlug(input.key).replace(/\//g, '-');
    const subject = `aidev: ${input.key}`;
    const open = await this.#call(
      'list open change requests',
      () => this.#api.spaces.listChangeRequestsForSpace(this.#space, { status: 'open', limit: 100 }),
      opts,
    );
    const cr =
      open.items.find((c) => c.subject === subject) ??
      (await this.#call(
        `open a change request for "${input.title}"`,
        () => this.#api.spaces.createChangeRequest(this.#space, { subject }),
        opts,
      ));
    // The page may exist live, or only in this change request (an earlier unmerged run).
    const draft = await this.#call(
      'list the pages of the change request',
      () => this.#api.spaces.listPagesInChangeRequest(this.#space, cr.id),
      opts,
    );
    const existing = findSlug(draft.pages, slug);
    const markdown = docToGitbook(input.title, markdownToDoc(input.markdown));
    const parent = input.parent ?? this.#settings.parent_page;
    const change = existing
      ? { operation: 'update_page' as const, page: existing.id, title: input.title, document: { markdown } }
      : {
          operation: 'insert_page' as const,
          title: input.title,
          slug,
          document: { markdown },
          ...(parent ? { into: parent } : {}),
        };
    const applied = await this.#call(
      `write the page "${input.title}"`,
      () =>
        this.#api.spaces.updateChangeRequestContent(
          this.#space,
          cr.id,
          { changes: [change] },
          { compat: false },
        ),
      opts,
    );
    const pageId = applied.changes[0]?.page?.id ?? existing?.id ?? '';
    let url = cr.urls.app;
    if (this.#settings.merge) {
      const merged = await this.#call(
        `merge the change request #${cr.number}`,
        () => this.#api.spaces.mergeChangeRequest(this.#space, cr.id),
        opts,
      );
      if (merged.result === 'conflicts')
        throw new AidevError('PROVIDER_ERROR', `GitBook merged change request #${cr.number} with conflicts`, {
          details: { path: this.#hints.path, url: cr.urls.app },
          hint: `resolve them in GitBook: ${cr.urls.app}`,
        });
      const live = await this.#call(
        'list the pages of the space',
        () => this.#api.spaces.listPages(this.#space),
        opts,
      );
      url = findSlug(live.pages, slug)?.urls?.app ?? url;
    }
    this.#links.set(input.key, url);
    // GitBook keeps revisions per space, not per page: 1 for a new page, 2 for an update.
    return { id: pageId, key: input.key, title: input.title, url, version: existing ? 2 : 1 };
  }

  async #call<T>(action: string, fn: () => Promise<{ data: T }>, opts: Signal): Promise<T> {
    try {
      return (await withRateLimit(fn, gitbookRetryAfter, defaultRateLimitPolicy, opts.signal)).data;
    } catch (error) {
      throw (
        interruptedError(action, opts.signal, error) ??
        gitbookError(error, action, this.#hints, this.#endpoint)
      );
    }
  }
}

function findSlug(pages: TreePage[] | undefined, slug: string): TreePage | undefined {
  for (const page of pages ?? []) {
    if (page.slug === slug) return page;
    const inner = findSlug(page.pages, slug);
    if (inner) return inner;
  }
  return undefined;
}

function gitbookRetryAfter(error: unknown): number | undefined {
  const e = error as { code?: number; response?: Response } | undefined;
  return e?.code === 429 ? parseRetryAfter(e.response?.headers.get('retry-after')) : undefined;
}

function gitbookError(error: unknown, action: string, hints: VendorHints, endpoint: string): AidevError {
  if (isAidevError(error)) return error;
  if (error instanceof RateLimited) return rateLimitedError(error, action, hints);
  const e = error as { code?: unknown; errorMessage?: string; message?: string } | undefined;
  if (typeof e?.code === 'number')
    return docsHttpError({ status: e.code, detail: e.errorMessage }, action, hints, error);
  if (isNetworkFailure(error)) return networkError(action, hints, endpoint, error);
  return new AidevError('PROVIDER_ERROR', `GitBook failed to ${action}: ${e?.message ?? String(error)}`, {
    cause: error,
    hint: `check ${hints.path} and run it again; --verbose shows the cause`,
  });
}
