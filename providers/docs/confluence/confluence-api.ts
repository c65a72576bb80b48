// The few Confluence Cloud calls the docs provider makes, through confluence.js: pages on REST v2, and what v2 has no
// equivalent for (the current user, labels on content, CQL search) on REST v1. Results come back as small plain
// records so confluence-docs never sees the SDK's types.
import { createClient, type Client } from 'confluence.js/core';
import { getCurrentUser } from 'confluence.js/v1';
import { addLabelsToContent } from 'confluence.js/v1';
import { searchByCQL } from 'confluence.js/v1';
import { createPage, getPageById, getPages, getSpaces, updatePage } from 'confluence.js/v2';

export interface ConfluencePage {
  id: string;
  title: string;
  version: number;
  parentId: string | null;
  /** The storage-format body, when it was asked for. */
  storage: string | null;
  labels: string[];
  url: string;
}

export interface PageWrite {
  spaceId: string;
  parentId: string | undefined;
  title: string;
  storage: string;
}

export interface ConfluenceApi {
  currentUser(): Promise<string>;
  spaceId(key: string): Promise<string | null>;
  pageById(id: string): Promise<ConfluencePage | null>;
  pageByTitle(spaceId: string, title: string): Promise<ConfluencePage | null>;
  /** Ids of current pages in the space carrying the label (CQL; the search index may lag a fresh page). */
  pageIdsByLabel(spaceKey: string, label: string): Promise<string[]>;
  createPage(page: PageWrite): Promise<ConfluencePage>;
  updatePage(id: string, page: PageWrite, version: number, message: string): Promise<ConfluencePage>;
  addLabels(id: string, names: string[]): Promise<void>;
}

export type ConfluenceAuth =
  { type: 'basic'; email: string; apiToken: string } | { type: 'bearer'; token: string };

interface V2Page {
  id?: string;
  title?: string;
  status?: string;
  parentId?: string | null;
  version?: { number?: number } | null;
  body?: { storage?: { value?: string } | null } | null;
  labels?: { results?: { name?: string }[] | null } | null;
  _links?: { webui?: string; base?: string } | null;
}

export class CloudConfluenceApi implements ConfluenceApi {
  readonly #client: Client;
  readonly #site: string;

  constructor(site: string, auth: ConfluenceAuth) {
    this.#site = site.replace(/\/+$/, '');
    this.#client = createClient({ host: this.#site, auth });
  }

  async currentUser(): Promise<string> {
    const user = await getCurrentUser(this.#client, {});
    return user.email || user.displayName || user.accountId || 'unknown user';
  }

  async spaceId(key: string): Promise<string | null> {
    const spaces = await getSpaces(this.#client, { keys: [key], limit: 1 });
    return spaces.results?.[0]?.id ?? null;
  }

  async pageById(id: string): Promise<ConfluencePage | null> {
    try {
      const page = await getPageById(this.#client, {
        id: Number(id),
        bodyFormat: 'storage',
        includeLabels: true,
      });
      return page.status === 'current' || page.status === undefined ? this.#page(page) : null;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  async pageByTitle(spaceId: string, title: string): Promise<ConfluencePage | null> {
    const pages = await getPages(this.#client, {
      spaceId: [Number(spaceId)],
      title,
      status: ['current'],
      limit: 1,
    });
    const id = pages.results?.[0]?.id;
    return id ? this.pageById(id) : null;
  }

  async pageIdsByLabel(spaceKey: string, label: string): Promise<string[]> {
    const cql = `type = page AND space = "${spaceKey.replace(/"/g, '')}" AND label = "${label}"`;
    const found = await searchByCQL(this.#client, { cql, limit: 5 });
    return (found.results ?? []).flatMap((r) => (r.content?.id ? [r.content.id] : []));
  }

  async createPage(page: PageWrite): Promise<ConfluencePage> {
    const created = await createPage(this.#client, {
      body: {
        spaceId: page.spaceId,
        status: 'current',
        title: page.title,
        ...(page.parentId ? { parentId: page.parentId } : {}),
        body: { representation: 'storage', value: page.storage },
      },
    });
    return this.#page(created);
  }

  async updatePage(id: string, page: PageWrite, version: number, message: string): Promise<ConfluencePage> {
    const updated = await updatePage(this.#client, {
      id: Number(id),
      body: {
        id,
        status: 'current',
        title: page.title,
        spaceId: page.spaceId,
        ...(page.parentId ? { parentId: page.parentId } : {}),
        body: { representation: 'storage', value: page.storage },
        version: { number: version, message },
      },
    });
    return this.#page(updated);
  }

  async addLabels(id: string, names: string[]): Promise<void> {
    if (names.length)
      await addLabelsToContent(this.#client, { id, body: names.map((name) => ({ prefix: 'global', name })) });
  }

  #page(page: V2Page): ConfluencePage {
    const base = page._links?.base ?? `${this.#site}/wiki`;
    return {
      id: page.id ?? '',
      title: page.title ?? '',
      version: page.version?.number ?? 1,
      parentId: page.parentId ?? null,
      storage: page.body?.storage?.value ?? null,
      labels: (page.labels?.results ?? []).flatMap((l) => (l.name ? [l.name] : [])),
      url: page._links?.webui
        ? `${base}${page._links.webui}`
        : `${base}/pages/viewpage.action?pageId=${page.id ?? ''}`,
    };
  }
}
