// A GitBook API fake on 127.0.0.1 driven by the OpenAPI document that @gitbook/api ships, trimmed to the operations the
// docs provider uses (test/fixtures/contracts/gitbook.trimmed.json, regenerated from the installed package by
// scripts/contracts/trim-openapi.ts with gitbook.manifest.json). It keeps a live page tree and change requests whose
// drafts apply insert_page/update_page, and merges them on request. Bodies start from the schema's smallest valid
// sample (scripts/contracts/schema-sample.ts) with the fields a test looks at filled in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sampleOf, type JsonObject } from '../../../scripts/contracts/schema-sample.js';
import type { ContractResponse } from './loopback.js';
import { startOpenApiFake, type OpenApiDocument, type OpenApiFake } from './openapi-server.js';

const DOCUMENT = fileURLToPath(new URL('../../fixtures/contracts/gitbook.trimmed.json', import.meta.url));
const doc = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as OpenApiDocument & {
  components: { schemas: JsonObject };
};
const sample = (name: string): JsonObject =>
  sampleOf({ $ref: `#/components/schemas/${name}` }, doc.components.schemas) as JsonObject;
// The smallest sample of a document page also satisfies the computed-page branch of its oneOf; a plain page has none.
const { computed: _computed, computedSeed: _seed, ...documentPage } = sample('RevisionPageDocument');
const TIME = '2025-01-01T00:00:00.000Z';

export interface FakeGitbookPage {
  id: string;
  title: string;
  slug: string;
  markdown: string;
  parent: string | null;
}

interface Change {
  operation: 'insert_page' | 'update_page';
  title?: string;
  slug?: string;
  into?: string;
  page?: string;
  document: { markdown: string };
}

interface ChangeRequest {
  id: string;
  number: number;
  subject: string;
  status: 'open' | 'merged';
  pages: Map<string, FakeGitbookPage>;
}

export interface GitbookFake {
  fake: OpenApiFake;
  /** The endpoint to configure (`docs.gitbook.base_url`); the SDK adds /v1. */
  endpoint: string;
  live: Map<string, FakeGitbookPage>;
  changeRequests: ChangeRequest[];
  failNext(operationId: string, status: number, retryAfter?: number): void;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer' }, message: { type: 'string' } },
    },
  },
};

export async function startGitbookFake(opts: { token?: string; space?: string } = {}): Promise<GitbookFake> {
  const token = opts.token ?? 'gb_test';
  const space = opts.space ?? 'space-1';
  const live = new Map<string, FakeGitbookPage>();
  const changeRequests: ChangeRequest[] = [];
  const failures = new Map<string, { status: number; retryAfter?: number | undefined }[]>();
  let nextId = 1;
  const fake = await startOpenApiFake({
    document: doc,
    basePath: '/v1',
    globalResponses: { 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema },
  });
  const app = 'https://app.gitbook.test';

  const error = (status: number, message: string): ContractResponse => ({
    status,
    body: { error: { code: status, message } },
  });
  const guard = (
    id: string,
    headers: Record<string, string | string[] | undefined>,
    spaceId?: unknown,
  ): ContractResponse | null => {
    if (headers.authorization !== `Bearer ${token}`) return error(401, 'Invalid authentication token');
    const queued = failures.get(id)?.shift();
    if (queued)
      return {
        ...error(queued.status, `injected ${queued.status}`),
        ...(queued.retryAfter === undefined ? {} : { headers: { 'retry-after': String(queued.retryAfter) } }),
      };
    if (spaceId !== undefined && spaceId !== space) return error(404, `Space ${spaceId as string} not found`);
    return null;
  };
  const pageBody = (p: FakeGitbookPage, all: Map<string, FakeGitbookPage>): JsonObject => ({
    ...documentPage,
    id: p.id,
    title: p.title,
    slug: p.slug,
    path: p.slug,
    type: 'document',
    kind: 'sheet',
    urls: { app: `${app}/s/${space}/${p.slug}` },
    pages: [...all.values()].filter((c) => c.parent === p.id).map((c) => pageBody(c, all)),
  });
  const tree = (all: Map<string, FakeGitbookPage>) => ({
    pages: [...all.values()].filter((p) => p.parent === null).map((p) => pageBody(p, all)),
  });
  const crBody = (cr: ChangeRequest): JsonObject => ({
    ...sample('ChangeRequest'),
    object: 'change-request',
    id: cr.id,
    number: cr.number,
    subject: cr.subject,
    status: cr.status,
    createdAt: TIME,
    updatedAt: TIME,
    createdBy: { object: 'user', id: 'u1', displayName: 'Dev', urls: { location: `${fake.url}/users/u1` } },
    urls: {
      location: `${fake.url}/spaces/${space}/change-requests/${cr.id}`,
      app: `${app}/s/${space}/~/changes/${cr.number}`,
    },
  });
  const find = (id: string) => changeRequests.find((c) => c.id === id);

  fake
    .handle(
      'getAuthenticatedUser',
      (r) =>
        guard('getAuthenticatedUser', r.headers) ?? {
          status: 200,
          body: {
            object: 'user',
            id: 'u1',
            displayName: 'Dev',
            email: 'dev@example.com',
            urls: { location: `${fake.url}/user` },
          },
        },
    )
    .handle(
      'listPages',
      (r) => guard('listPages', r.headers, r.params.spaceId) ?? { status: 200, body: tree(live) },
    )
    .handle(
      'listChangeRequestsForSpace',
      (r) =>
        guard('listChangeRequestsForSpace', r.headers, r.params.spaceId) ?? {
          status: 200,
          body: {
            items: changeRequests.filter((c) => !r.query.status || c.status === r.query.status).map(crBody),
          },
        },
    )
    .handle('createChangeRequest', (r) => {
      const blocked = guard('createChangeRequest', r.headers, r.params.spaceId);
      if (blocked) return blocked;
      const cr: ChangeRequest = {
        id: `cr-${nextId++}`,
        number: changeRequests.length + 1,
        subject: String((r.body as { subject?: string }).subject ?? ''),
        status: 'open',
        pages: new Map([...live].map(([k, v]) => [k, { ...v }])),
      };
      changeRequests.push(cr);
      return { status: 201, body: crBody(cr) };
    })
    .handle('listPagesInChangeRequest', (r) => {
      const cr = find(String(r.params.changeRequestId));
      return (
        guard('listPagesInChangeRequest', r.headers, r.params.spaceId) ??
        (cr ? { status: 200, body: tree(cr.pages) } : error(404, 'Change request not found'))
      );
    })
    .handle('updateChangeRequestContent', (r) => {
      const blocked = guard('updateChangeRequestContent', r.headers, r.params.spaceId);
      if (blocked) return blocked;
      const cr = find(String(r.params.changeRequestId));
      if (!cr || cr.status !== 'open') return error(404, 'Change request not found');
      const outcomes: JsonObject[] = [];
      for (const change of (r.body as { changes: Change[] }).changes) {
        const markdown = change.document.markdown;
        if (change.operation === 'insert_page') {
          if (change.into && !cr.pages.has(String(change.into)))
            return error(404, `Page ${String(change.into)} not found`);
          const page = {
            id: `page-${nextId++}`,
            title: change.title ?? 'Untitled',
            slug: change.slug ?? '',
            markdown,
            parent: change.into ?? null,
          };
          cr.pages.set(page.id, page);
          outcomes.push({
            object: 'created_page',
            page: {
              object: 'page',
              id: page.id,
              urls: { location: `${fake.url}/spaces/${space}/content/page/${page.id}` },
            },
          });
        } else {
          const page = cr.pages.get(change.page ?? '');
          if (!page) return error(404, `Page ${change.page ?? ''} not found`);
          Object.assign(page, { title: change.title ?? page.title, markdown });
          outcomes.push({
            object: 'updated_page',
            page: {
              object: 'page',
              id: page.id,
              urls: { location: `${fake.url}/spaces/${space}/content/page/${page.id}` },
            },
          });
        }
      }
      return { status: 200, body: { changeRequest: crBody(cr), changes: outcomes } };
    })
    .handle('mergeChangeRequest', (r) => {
      const blocked = guard('mergeChangeRequest', r.headers, r.params.spaceId);
      if (blocked) return blocked;
      const cr = find(String(r.params.changeRequestId));
      if (!cr || cr.status !== 'open') return error(404, 'Change request not found');
      cr.status = 'merged';
      live.clear();
      for (const [k, v] of cr.pages) live.set(k, { ...v });
      return { status: 200, body: { revision: `rev-${nextId++}`, result: 'merge' } };
    });

  return {
    fake,
    endpoint: fake.origin,
    live,
    changeRequests,
    failNext(operationId, status, retryAfter) {
      const queue = failures.get(operationId) ?? [];
      queue.push({ status, retryAfter });
      failures.set(operationId, queue);
    },
  };
}
