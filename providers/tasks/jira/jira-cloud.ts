// The Jira Cloud dialect: jira.js's typed v3 endpoints (responses checked against its zod schemas), rich text as ADF.
import { createCloudClient, type CloudClient } from 'jira.js';
import { markdownToAdf } from './markup/from-markdown.js';
import { isAdfDoc } from './markup/adf-types.js';
import { adfToMarkdown } from './markup/to-markdown.js';
import {
  convertRich,
  type FieldValues,
  type JiraApi,
  type JiraField,
  type JiraIssue,
  type JiraTransition,
} from './jira-api.js';

export interface JiraClientOptions {
  site: string;
  auth: { type: 'basic'; email: string; apiToken: string } | { type: 'bearer'; token: string };
  /** jira.js's answer to a response that does not match its schema: tests make it throw. */
  onSchemaMismatch?: 'warn' | 'silent' | 'throw' | undefined;
  /** Where jira.js's schema reports go otherwise (debug log). */
  report?: ((message: string) => void) | undefined;
}

export class JiraCloudApi implements JiraApi {
  readonly deployment = 'cloud' as const;
  readonly #jira: CloudClient;

  constructor(options: JiraClientOptions) {
    this.#jira = createCloudClient({
      host: options.site,
      auth: options.auth,
      onSchemaMismatch:
        options.onSchemaMismatch ??
        ((report) => options.report?.(`jira.js: ${report.endpoint} answered an undocumented shape`)),
    });
  }

  async getIssue(key: string, fields: readonly string[]): Promise<JiraIssue> {
    return toIssue(await this.#jira.issues.getIssue({ issueIdOrKey: key, fields: [...fields] }));
  }

  async search(jql: string, fields: readonly string[], limit: number): Promise<JiraIssue[]> {
    const out: JiraIssue[] = [];
    let nextPageToken: string | undefined;
    // Enhanced search pages by token; bounded by the caller's limit and by the pages Jira offers.
    for (let page = 0; page < 100 && out.length < limit; page++) {
      const result = await this.#jira.issueSearch.searchAndReconsileIssuesUsingJql({
        jql,
        fields: [...fields],
        maxResults: Math.min(100, limit - out.length),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      out.push(...(result.issues ?? []).map(toIssue));
      nextPageToken = result.nextPageToken ?? undefined;
      if (!nextPageToken || result.isLast) break;
    }
    return out.slice(0, limit);
  }

  async createIssue(fields: FieldValues): Promise<{ id: string; key: string }> {
    const created = await this.#jira.issues.createIssue({ fields: convertRich(fields, markdownToAdf) });
    return { id: created.id ?? '', key: created.key ?? '' };
  }

  async editIssue(key: string, fields: FieldValues): Promise<void> {
    await this.#jira.issues.editIssue({ issueIdOrKey: key, fields: convertRich(fields, markdownToAdf) });
  }

  async transitions(key: string): Promise<JiraTransition[]> {
    const { transitions = [] } = await this.#jira.issues.getTransitions({ issueIdOrKey: key });
    return transitions.map((t) => ({
      id: t.id ?? '',
      name: t.name ?? '',
      to: { name: t.to?.name ?? '', categoryKey: t.to?.statusCategory?.key ?? '' },
    }));
  }

  async transition(key: string, transitionId: string): Promise<void> {
    await this.#jira.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId } });
  }

  async addComment(key: string, markdown: string): Promise<{ id: string }> {
    const comment = await this.#jira.issueComments.addComment({
      issueIdOrKey: key,
      body: document(markdown),
    });
    return { id: comment.id ?? '' };
  }

  async link(type: string, outwardKey: string, inwardKey: string): Promise<void> {
    await this.#jira.issueLinks.linkIssues({
      type: { name: type },
      outwardIssue: { key: outwardKey },
      inwardIssue: { key: inwardKey },
    });
  }

  async fields(): Promise<JiraField[]> {
    return (await this.#jira.issueFields.getFields()).map((f) => ({
      id: f.id ?? '',
      name: f.name ?? '',
      custom: f.custom ?? false,
      customType: f.schema?.custom,
    }));
  }

  async myself(): Promise<{ displayName: string; id: string }> {
    const me = await this.#jira.myself.getCurrentUser();
    return { displayName: me.displayName ?? me.emailAddress ?? '', id: me.accountId ?? '' };
  }
}

/** An ADF document in the shape jira.js types a comment body (content as plain records). */
function document(markdown: string): { type: 'doc'; version: number; content: Record<string, unknown>[] } {
  const doc = markdownToAdf(markdown);
  return { type: 'doc', version: 1, content: doc.content.map((node) => ({ ...node })) };
}

function toIssue(raw: { id?: string; key?: string; fields?: Record<string, unknown> }): JiraIssue {
  const fields = { ...(raw.fields ?? {}) };
  if ('description' in fields)
    fields.description = isAdfDoc(fields.description) ? adfToMarkdown(fields.description) : null;
  return { id: raw.id ?? '', key: raw.key ?? '', fields };
}
