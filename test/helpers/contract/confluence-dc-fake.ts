// A Confluence Data Center fake: the REST v1 content API (what Server/DC has instead of v2) with a bearer personal
// access token. Responses are checked with confluence.js' v1 schemas (Content, ContentArray, LabelArray, User,
// Space: the v1 shapes Cloud inherited from Server); requests with the smallest strict reading of the v1 content body.
// The version rule (current + 1, else 409) and unique titles per space are the fake's.
import {
  ContentArraySchema,
  ContentSchema,
  LabelArraySchema,
  SpaceSchema,
  UserSchema,
} from 'confluence.js/v1';
import { z } from 'zod';
import type { ContractResponse } from './loopback.js';
import { startZodFake, type ZodFake, type ZodOperation } from './zod-server.js';

const storage = z.strictObject({
  storage: z.strictObject({ value: z.string(), representation: z.literal('storage') }),
});
const create = z.strictObject({
  type: z.literal('page'),
  title: z.string().min(1).max(255),
  space: z.strictObject({ key: z.string() }),
  ancestors: z
    .array(z.strictObject({ id: z.string().regex(/^\d+$/) }))
    .max(1)
    .optional(),
  body: storage,
});
const update = create.extend({
  id: z.string(),
  version: z.strictObject({ number: z.number().int().positive(), message: z.string().optional() }),
});
const v1Error = z.object({ statusCode: z.number(), message: z.string() });
const expand = z.strictObject({ expand: z.string().optional() });

const operations: ZodOperation[] = [
  {
    id: 'currentUser',
    method: 'GET',
    path: '/rest/api/user/current',
    query: expand,
    responses: { 200: UserSchema, 401: v1Error },
  },
  {
    id: 'getSpace',
    method: 'GET',
    path: '/rest/api/space/{key}',
    query: expand,
    responses: { 200: SpaceSchema, 401: v1Error, 404: v1Error },
  },
  {
    id: 'findContent',
    method: 'GET',
    path: '/rest/api/content',
    query: z.strictObject({
      spaceKey: z.string(),
      title: z.string(),
      type: z.literal('page'),
      expand: z.string().optional(),
      limit: z.string().optional(),
    }),
    responses: { 200: ContentArraySchema, 401: v1Error },
  },
  {
    id: 'searchContent',
    method: 'GET',
    path: '/rest/api/content/search',
    query: z.strictObject({ cql: z.string(), limit: z.string().optional() }),
    responses: { 200: ContentArraySchema, 401: v1Error },
  },
  {
    id: 'getContent',
    method: 'GET',
    path: '/rest/api/content/{id}',
    query: expand,
    responses: { 200: ContentSchema, 401: v1Error, 404: v1Error },
  },
  {
    id: 'createContent',
    method: 'POST',
    path: '/rest/api/content',
    query: expand,
    body: create,
    responses: { 200: ContentSchema, 400: v1Error, 401: v1Error, 404: v1Error },
  },
  {
    id: 'updateContent',
    method: 'PUT',
    path: '/rest/api/content/{id}',
    query: expand,
    body: update,
    responses: { 200: ContentSchema, 400: v1Error, 401: v1Error, 404: v1Error, 409: v1Error },
  },
  {
    id: 'addLabels',
    method: 'POST',
    path: '/rest/api/content/{id}/label',
    body: z.array(z.strictObject({ prefix: z.literal('global'), name: z.string() })),
    responses: { 200: LabelArraySchema, 401: v1Error, 404: v1Error },
  },
];

interface Page {
  id: string;
  title: string;
  space: string;
  parent: string | null;
  version: number;
  storage: string;
  labels: string[];
}

export async function startConfluenceDcFake(
  opts: { pat?: string } = {},
): Promise<{ fake: ZodFake; site: string; pages: Map<string, Page> }> {
  const pat = opts.pat ?? 'dc-pat';
  const pages = new Map<string, Page>();
  let nextId = 7000;
  const fake = await startZodFake(operations, { globalResponses: { 429: v1Error } });
  const site = fake.origin;
  const error = (status: number, message: string): ContractResponse => ({
    status,
    body: { statusCode: status, message },
  });
  const authed = (h: Record<string, string | string[] | undefined>) => h.authorization === `Bearer ${pat}`;
  const content = (p: Page): Record<string, unknown> => ({
    id: p.id,
    type: 'page',
    status: 'current',
    title: p.title,
    space: { key: p.space, name: p.space, type: 'global', status: 'current', _expandable: {}, _links: {} },
    version: { number: p.version, minorEdit: false, when: '2025-01-01T00:00:00.000Z', message: '' },
    ancestors: p.parent ? [{ id: p.parent, type: 'page', status: 'current' }] : [],
    body: { storage: { value: p.storage, representation: 'storage' } },
    metadata: {
      labels: {
        results: p.labels.map((name, i) => ({ prefix: 'global', name, id: String(i + 1), label: name })),
        size: p.labels.length,
      },
    },
    _links: { webui: `/display/${p.space}/${encodeURIComponent(p.title)}`, base: site },
    _expandable: {},
  });
  const list = (found: Page[]) => ({
    status: 200,
    body: { results: found.map(content), size: found.length, _links: {} },
  });

  fake
    .handle('currentUser', (r) =>
      authed(r.headers)
        ? { status: 200, body: { type: 'known', username: 'dev', displayName: 'Dev' } }
        : error(401, 'unauthorized'),
    )
    .handle('getSpace', (r) =>
      !authed(r.headers)
        ? error(401, 'unauthorized')
        : r.params.key === 'ENG'
          ? {
              status: 200,
              body: {
                key: 'ENG',
                name: 'Engineering',
                type: 'global',
                status: 'current',
                _expandable: {},
                _links: {},
              },
            }
          : error(404, 'No space'),
    )
    .handle('findContent', (r) =>
      list([...pages.values()].filter((p) => p.space === r.query.spaceKey && p.title === r.query.title)),
    )
    .handle('searchContent', (r) => {
      const label = /label = "([^"]+)"/.exec(String(r.query.cql))?.[1];
      return list([...pages.values()].filter((p) => label && p.labels.includes(label)));
    })
    .handle('getContent', (r) =>
      pages.has(r.params.id!)
        ? { status: 200, body: content(pages.get(r.params.id!)!) }
        : error(404, 'No content'),
    )
    .handle('createContent', (r) => {
      if (!authed(r.headers)) return error(401, 'unauthorized');
      const b = r.body as z.infer<typeof create>;
      if ([...pages.values()].some((p) => p.space === b.space.key && p.title === b.title))
        return error(400, 'A page with this title already exists');
      const page: Page = {
        id: String(nextId++),
        title: b.title,
        space: b.space.key,
        parent: b.ancestors?.[0]?.id ?? null,
        version: 1,
        storage: b.body.storage.value,
        labels: [],
      };
      pages.set(page.id, page);
      return { status: 200, body: content(page) };
    })
    .handle('updateContent', (r) => {
      const page = pages.get(r.params.id!);
      if (!page) return error(404, 'No content');
      const b = r.body as z.infer<typeof update>;
      if (b.version.number !== page.version + 1)
        return error(409, `Version must be incremented on update. Current version is: ${page.version}`);
      Object.assign(page, { title: b.title, storage: b.body.storage.value, version: page.version + 1 });
      return { status: 200, body: content(page) };
    })
    .handle('addLabels', (r) => {
      const page = pages.get(r.params.id!);
      if (!page) return error(404, 'No content');
      for (const l of r.body as { name: string }[])
        if (!page.labels.includes(l.name)) page.labels.push(l.name);
      return {
        status: 200,
        body: {
          results: page.labels.map((name, i) => ({ prefix: 'global', name, id: String(i + 1), label: name })),
          size: page.labels.length,
        },
      };
    });
  return { fake, site, pages };
}
