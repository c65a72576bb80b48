// Confluence Data Center / Server: REST v1 content endpoints (the only page API those servers have) with a personal
// access token, sent through confluence.js' transport so errors, 429s and auth behave as on Cloud.
import { createClient, type Client } from 'confluence.js/core';
import type { ConfluenceApi, ConfluencePage, PageWrite } from './confluence-api.js';

interface V1Content {
  id: string;
  title: string;
  status?: string;
  version?: { number?: number };
  ancestors?: { id: string }[];
  body?: { storage?: { value?: string } };
  metadata?: { labels?: { results?: { name: string }[] } };
  _links?: { webui?: string; base?: string };
}

const EXPAND = 'version,ancestors,body.storage,metadata.labels';

export class DataCenterConfluenceApi implements ConfluenceApi {
  readonly #client: Client;
  readonly #site: string;

  constructor(site: string, token: string) {
    this.#site = site.replace(/\/+$/, '');
    this.#client = createClient({ host: this.#site, auth: { type: 'bearer', token } });
  }

  async currentUser(): Promise<string> {
    const user = await this.#client.sendRequest<{ username?: string; displayName?: string }>({
      url: '/rest/api/user/current',
    });
    return user.username ?? user.displayName ?? 'unknown user';
  }

  async spaceId(key: string): Promise<string | null> {
    try {
      const space = await this.#client.sendRequest<{ key: string }>({
        url: `/rest/api/space/${encodeURIComponent(key)}`,
      });
      return space.key;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  async pageById(id: string): Promise<ConfluencePage | null> {
    try {
      const page = await this.#client.sendRequest<V1Content>({
        url: `/rest/api/content/${id}`,
        searchParams: { expand: EXPAND },
      });
      return page.status === undefined || page.status === 'current' ? this.#page(page) : null;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  async pageByTitle(spaceKey: string, title: string): Promise<ConfluencePage | null> {
    const found = await this.#client.sendRequest<{ results: V1Content[] }>({
      url: '/rest/api/content',
      searchParams: { spaceKey, title, type: 'page', expand: EXPAND, limit: 1 },
    });
    return found.results[0] ? this.#page(found.results[0]) : null;
  }

  async pageIdsByLabel(spaceKey: string, label: string): Promise<string[]> {
    const cql = `type = page AND space = "${spaceKey.replace(/"/g, '')}" AND label = "${label}"`;
    const found = await this.#client.sendRequest<{ results: { id: string }[] }>({
      url: '/rest/api/content/search',
      searchParams: { cql, limit: 5 },
    });
    return found.results.map((r) => r.id);
  }

  async createPage(page: PageWrite): Promise<ConfluencePage> {
    const created = await this.#client.sendRequest<V1Content>({
      url: '/rest/api/content',
      method: 'POST',
      searchParams: { expand: EXPAND },
      body: { type: 'page', ...this.#body(page) },
    });
    return this.#page(created);
  }

  async updatePage(id: string, page: PageWrite, version: number, message: string): Promise<ConfluencePage> {
    const updated = await this.#client.sendRequest<V1Content>({
      url: `/rest/api/content/${id}`,
      method: 'PUT',
      searchParams: { expand: EXPAND },
      body: { id, type: 'page', ...this.#body(page), version: { number: version, message } },
    });
    return this.#page(updated);
  }

  async addLabels(id: string, names: string[]): Promise<void> {
    if (!names.length) return;
    await this.#client.sendRequest({
      url: `/rest/api/content/${id}/label`,
      method: 'POST',
      headers: { 'X-Atlassian-Token': 'no-check' },
      body: names.map((name) => ({ prefix: 'global', name })),
    });
  }

  /** On Data Center the space is addressed by key, which is what spaceId() returned. */
  #body(page: PageWrite): Record<string, unknown> {
    return {
      title: page.title,
      space: { key: page.spaceId },
      ...(page.parentId ? { ancestors: [{ id: page.parentId }] } : {}),
      body: { storage: { value: page.storage, representation: 'storage' } },
    };
  }

  #page(page: V1Content): ConfluencePage {
    const base = page._links?.base ?? this.#site;
    return {
      id: page.id,
      title: page.title,
      version: page.version?.number ?? 1,
      parentId: page.ancestors?.[page.ancestors.length - 1]?.id ?? null,
      storage: page.body?.storage?.value ?? null,
      labels: (page.metadata?.labels?.results ?? []).map((l) => l.name),
      url: page._links?.webui
        ? `${base}${page._links.webui}`
        : `${base}/pages/viewpage.action?pageId=${page.id}`,
    };
  }
}
