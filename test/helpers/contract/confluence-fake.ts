// A Confluence Cloud fake on 127.0.0.1 that keeps spaces, pages, versions and labels, validates every request and
// response through confluence-contract.ts, and enforces what the schemas cannot: basic auth, unique titles per space,
// existing parents, and the version rule (an update carries exactly the current version + 1, else 409).
import type { ContractResponse } from './loopback.js';
import { confluenceGlobalResponses, confluenceOperations } from './confluence-contract.js';
import { startZodFake, type ZodFake } from './zod-server.js';

export interface FakePage {
  id: string;
  title: string;
  spaceId: string;
  parentId: string | null;
  version: number;
  storage: string;
  labels: string[];
  status: 'current' | 'trashed';
}

export interface ConfluenceFake {
  fake: ZodFake;
  /** The site URL to configure (`docs.confluence.url`). */
  site: string;
  pages: Map<string, FakePage>;
  /** Answers the next call of an operation with this status (and Retry-After seconds for a 429). */
  failNext(operationId: string, status: number, retryAfter?: number): void;
  /** Someone else saves the page: its version moves on without aidev knowing. */
  editBehind(id: string): void;
  /** Someone else saves the page between aidev's read and its next update (a real race, answered by the version rule). */
  raceNextUpdate(): void;
  /** Pages made from now on stay out of CQL search, as a fresh page can lag Atlassian's search index. */
  lagSearch(on: boolean): void;
}

const ERROR_TITLES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

export async function startConfluenceFake(
  opts: { email?: string; token?: string; spaces?: { id: string; key: string }[] } = {},
): Promise<ConfluenceFake> {
  const email = opts.email ?? 'dev@example.com';
  const token = opts.token ?? 'api-token';
  const spaces = opts.spaces ?? [{ id: '1001', key: 'ENG' }];
  const pages = new Map<string, FakePage>();
  const failures = new Map<string, { status: number; retryAfter?: number | undefined }[]>();
  const lagging = new Set<string>();
  let lag = false;
  let race = false;
  let nextId = 5000;
  const fake = await startZodFake(confluenceOperations, { globalResponses: confluenceGlobalResponses });
  const site = fake.origin;

  const error = (status: number, detail: string, v1 = false): ContractResponse =>
    v1
      ? { status, body: { statusCode: status, message: detail } }
      : {
          status,
          body: {
            errors: [
              {
                status,
                code: ERROR_TITLES[status]?.toUpperCase().replace(/ /g, '_') ?? 'ERROR',
                title: ERROR_TITLES[status] ?? 'Error',
                detail,
              },
            ],
          },
        };

  /** Auth and injected failures, checked before every handler. */
  const gate = (
    id: string,
    headers: Record<string, string | string[] | undefined>,
  ): ContractResponse | null => {
    const expected = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    if (headers.authorization !== expected)
      return error(401, 'Client must be authenticated to access this resource.', id === 'getCurrentUser');
    const queued = failures.get(id)?.shift();
    if (!queued) return null;
    const response = error(
      queued.status,
      `injected ${queued.status}`,
      id === 'getCurrentUser' || id === 'addLabelsToContent' || id === 'searchByCQL',
    );
    return queued.retryAfter === undefined
      ? response
      : { ...response, headers: { 'retry-after': String(queued.retryAfter) } };
  };

  const pageBody = (page: FakePage, query: Record<string, string | string[]>): Record<string, unknown> => {
    const space = spaces.find((s) => s.id === page.spaceId)!;
    const webui = `/spaces/${space.key}/pages/${page.id}/${encodeURIComponent(page.title.replace(/ /g, '+'))}`;
    return {
      id: page.id,
      status: page.status,
      title: page.title,
      spaceId: page.spaceId,
      parentId: page.parentId,
      parentType: page.parentId ? 'page' : null,
      authorId: 'acc-1',
      createdAt: '2025-01-01T00:00:00.000Z',
      version: {
        number: page.version,
        message: '',
        minorEdit: false,
        authorId: 'acc-1',
        createdAt: '2025-01-01T00:00:00.000Z',
      },
      ...(query['body-format'] === 'storage'
        ? { body: { storage: { representation: 'storage', value: page.storage } } }
        : {}),
      ...(query['include-labels'] === 'true'
        ? {
            labels: {
              results: page.labels.map((name, i) => ({ id: String(900 + i), name, prefix: 'global' })),
              meta: { hasMore: false },
            },
          }
        : {}),
      _links: {
        webui,
        editui: `/pages/resumedraft.action?draftId=${page.id}`,
        tinyui: `/x/${page.id}`,
        base: `${site}/wiki`,
      },
    };
  };

  const titleTaken = (spaceId: string, title: string, except?: string): boolean =>
    [...pages.values()].some(
      (p) => p.spaceId === spaceId && p.title === title && p.status === 'current' && p.id !== except,
    );

  fake
    .handle(
      'getCurrentUser',
      (r) =>
        gate('getCurrentUser', r.headers) ?? {
          status: 200,
          body: { type: 'known', accountId: 'acc-1', email, displayName: 'Dev' },
        },
    )
    .handle('getSpaces', (r) => {
      const keys = ([] as string[]).concat(r.query.keys ?? []).flatMap((k) => k.split(','));
      return (
        gate('getSpaces', r.headers) ?? {
          status: 200,
          body: {
            results: spaces
              .filter((s) => keys.includes(s.key))
              .map((s) => ({ id: s.id, key: s.key, name: s.key, type: 'global', status: 'current' })),
            _links: {},
          },
        }
      );
    })
    .handle('getPages', (r) => {
      const spaceIds = ([] as string[]).concat(r.query['space-id'] ?? []).flatMap((k) => k.split(','));
      const found = [...pages.values()].filter(
        (p) => p.status === 'current' && spaceIds.includes(p.spaceId) && p.title === r.query.title,
      );
      return (
        gate('getPages', r.headers) ?? {
          status: 200,
          body: { results: found.map((p) => pageBody(p, {})), _links: {} },
        }
      );
    })
    .handle('getPageById', (r) => {
      const page = pages.get(r.params.id!);
      return (
        gate('getPageById', r.headers) ??
        (page ? { status: 200, body: pageBody(page, r.query) } : error(404, 'Page not found'))
      );
    })
    .handle('createPage', (r) => {
      const blocked = gate('createPage', r.headers);
      if (blocked) return blocked;
      const body = r.body as { spaceId: string; title?: string; parentId?: string; body?: { value: string } };
      if (!spaces.some((s) => s.id === body.spaceId)) return error(404, `No space with id ${body.spaceId}`);
      if (body.parentId && pages.get(body.parentId)?.status !== 'current')
        return error(404, `No parent page ${body.parentId}`);
      if (body.title && titleTaken(body.spaceId, body.title))
        return error(400, 'A page with this title already exists');
      const page: FakePage = {
        id: String(nextId++),
        title: body.title ?? 'Untitled',
        spaceId: body.spaceId,
        parentId: body.parentId ?? null,
        version: 1,
        storage: body.body?.value ?? '',
        labels: [],
        status: 'current',
      };
      pages.set(page.id, page);
      if (lag) lagging.add(page.id);
      return { status: 200, body: pageBody(page, {}) };
    })
    .handle('updatePage', (r) => {
      const blocked = gate('updatePage', r.headers);
      if (blocked) return blocked;
      const page = pages.get(r.params.id!);
      if (!page || page.status !== 'current') return error(404, 'Page not found');
      if (race) {
        race = false;
        page.version += 1;
      }
      const body = r.body as {
        title: string;
        parentId?: string;
        body: { value: string };
        version: { number: number };
      };
      if (body.version.number !== page.version + 1)
        return error(409, `Version must be incremented on update. Current version is: ${page.version}`);
      if (titleTaken(page.spaceId, body.title, page.id))
        return error(400, 'A page with this title already exists');
      Object.assign(page, {
        title: body.title,
        storage: body.body.value,
        version: page.version + 1,
        parentId: body.parentId ?? page.parentId,
      });
      return { status: 200, body: pageBody(page, {}) };
    })
    .handle('addLabelsToContent', (r) => {
      const blocked = gate('addLabelsToContent', r.headers);
      if (blocked) return blocked;
      const page = pages.get(r.params.id!);
      if (!page) return error(404, 'Content not found', true);
      for (const l of r.body as { name: string }[])
        if (!page.labels.includes(l.name)) page.labels.push(l.name);
      return {
        status: 200,
        body: {
          results: page.labels.map((name, i) => ({
            id: String(900 + i),
            name,
            prefix: 'global',
            label: name,
          })),
          size: page.labels.length,
        },
      };
    })
    .handle('searchByCQL', (r) => {
      const blocked = gate('searchByCQL', r.headers);
      if (blocked) return blocked;
      const cql = String(r.query.cql);
      const label = /label = "([^"]+)"/.exec(cql)?.[1];
      const spaceKey = /space = "([^"]+)"/.exec(cql)?.[1];
      const space = spaces.find((s) => s.key === spaceKey);
      const hits = [...pages.values()].filter(
        (p) =>
          p.status === 'current' &&
          p.spaceId === space?.id &&
          (!label || p.labels.includes(label)) &&
          !lagging.has(p.id),
      );
      return {
        status: 200,
        body: {
          results: hits.map((p) => ({
            content: { id: p.id, type: 'page', status: 'current', title: p.title },
            title: p.title,
            excerpt: '',
            url: `/spaces/${spaceKey}/pages/${p.id}`,
            breadcrumbs: [],
            entityType: 'content',
            iconCssClass: 'aui-icon content-type-page',
            lastModified: '2025-01-01T00:00:00.000Z',
          })),
          start: 0,
          limit: 25,
          size: hits.length,
          totalSize: hits.length,
          cqlQuery: cql,
          searchDuration: 1,
          _links: {},
        },
      };
    });

  return {
    fake,
    site,
    pages,
    failNext(operationId, status, retryAfter) {
      const queue = failures.get(operationId) ?? [];
      queue.push({ status, retryAfter });
      failures.set(operationId, queue);
    },
    editBehind(id) {
      const page = pages.get(id);
      if (page) page.version += 1;
    },
    raceNextUpdate() {
      race = true;
    },
    lagSearch(on) {
      lag = on;
    },
  };
}
