// The Jira Data Center dialect: REST v2 through jira.js's core client (its auth, errors and Retry-After parsing),
// rich text as wiki markup. jira.js's typed surface is Cloud-only (v3), so the v2 paths are named here.
import { createClient } from 'jira.js/core';
import { markdownToWiki, wikiToMarkdown } from './markup/wiki.js';
import {
  convertRich,
  type FieldValues,
  type JiraApi,
  type JiraField,
  type JiraIssue,
  type JiraTransition,
} from './jira-api.js';
import type { JiraClientOptions } from './jira-cloud.js';

type Client = ReturnType<typeof createClient>;

interface RawIssue {
  id?: string;
  key?: string;
  fields?: Record<string, unknown>;
}

export class JiraDataCenterApi implements JiraApi {
  readonly deployment = 'data_center' as const;
  readonly #client: Client;

  constructor(options: JiraClientOptions) {
    this.#client = createClient({ host: options.site, auth: options.auth });
  }

  async getIssue(key: string, fields: readonly string[]): Promise<JiraIssue> {
    const raw = await this.#client.sendRequest<RawIssue>({
      url: `/rest/api/2/issue/${encodeURIComponent(key)}`,
      method: 'GET',
      searchParams: { fields: fields.join(',') },
    });
    return toIssue(raw);
  }

  async search(jql: string, fields: readonly string[], limit: number): Promise<JiraIssue[]> {
    const out: JiraIssue[] = [];
    for (let startAt = 0; out.length < limit;) {
      const page = await this.#client.sendRequest<{ issues?: RawIssue[]; total?: number }>({
        url: '/rest/api/2/search',
        method: 'GET',
        searchParams: {
          jql,
          fields: fields.join(','),
          startAt,
          maxResults: Math.min(100, limit - out.length),
        },
      });
      const issues = page.issues ?? [];
      out.push(...issues.map(toIssue));
      startAt += issues.length;
      if (!issues.length || startAt >= (page.total ?? 0)) break;
    }
    return out.slice(0, limit);
  }

  async createIssue(fields: FieldValues): Promise<{ id: string; key: string }> {
    const created = await this.#client.sendRequest<{ id?: string; key?: string }>({
      url: '/rest/api/2/issue',
      method: 'POST',
      body: { fields: convertRich(fields, markdownToWiki) },
    });
    return { id: created.id ?? '', key: created.key ?? '' };
  }

  async editIssue(key: string, fields: FieldValues): Promise<void> {
    await this.#client.sendRequest<void>({
      url: `/rest/api/2/issue/${encodeURIComponent(key)}`,
      method: 'PUT',
      body: { fields: convertRich(fields, markdownToWiki) },
    });
  }

  async transitions(key: string): Promise<JiraTransition[]> {
    const result = await this.#client.sendRequest<{
      transitions?: {
        id?: string;
        name?: string;
        to?: { name?: string; statusCategory?: { key?: string } };
      }[];
    }>({ url: `/rest/api/2/issue/${encodeURIComponent(key)}/transitions`, method: 'GET' });
    return (result.transitions ?? []).map((t) => ({
      id: t.id ?? '',
      name: t.name ?? '',
      to: { name: t.to?.name ?? '', categoryKey: t.to?.statusCategory?.key ?? '' },
    }));
  }

  async transition(key: string, transitionId: string): Promise<void> {
    await this.#client.sendRequest<void>({
      url: `/rest/api/2/issue/${encodeURIComponent(key)}/transitions`,
      method: 'POST',
      body: { transition: { id: transitionId } },
    });
  }

  async addComment(key: string, markdown: string): Promise<{ id: string }> {
    const comment = await this.#client.sendRequest<{ id?: string }>({
      url: `/rest/api/2/issue/${encodeURIComponent(key)}/comment`,
      method: 'POST',
      body: { body: markdownToWiki(markdown) },
    });
    return { id: comment.id ?? '' };
  }

  async link(type: string, outwardKey: string, inwardKey: string): Promise<void> {
    await this.#client.sendRequest<void>({
      url: '/rest/api/2/issueLink',
      method: 'POST',
      body: { type: { name: type }, outwardIssue: { key: outwardKey }, inwardIssue: { key: inwardKey } },
    });
  }

  async fields(): Promise<JiraField[]> {
    const fields = await this.#client.sendRequest<
      { id?: string; name?: string; custom?: boolean; schema?: { custom?: string } }[]
    >({
      url: '/rest/api/2/field',
      method: 'GET',
    });
    return fields.map((f) => ({
      id: f.id ?? '',
      name: f.name ?? '',
      custom: f.custom ?? false,
      customType: f.schema?.custom,
    }));
  }

  async myself(): Promise<{ displayName: string; id: string }> {
    const me = await this.#client.sendRequest<{ displayName?: string; name?: string; key?: string }>({
      url: '/rest/api/2/myself',
      method: 'GET',
    });
    return { displayName: me.displayName ?? me.name ?? '', id: me.name ?? me.key ?? '' };
  }
}

function toIssue(raw: RawIssue): JiraIssue {
  const fields = { ...(raw.fields ?? {}) };
  if ('description' in fields)
    fields.description = typeof fields.description === 'string' ? wikiToMarkdown(fields.description) : null;
  return { id: raw.id ?? '', key: raw.key ?? '', fields };
}
