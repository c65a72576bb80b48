// The Confluence operations the docs provider uses, as a zod contract. Responses are checked with confluence.js' own
// schemas (derived by the package from Atlassian's OpenAPI; the package version is in CONFLUENCE_JS_VERSION). The
// package types request bodies only as Record<string, any>, so the request schemas here are the smallest faithful
// reading of Atlassian's v2 PageCreateRequest / PageUpdateRequest and v1 label and CQL parameters, strict so a typo'd
// field fails. The version rule (an update must carry the current version + 1, else 409) is the fake's, in
// confluence-fake.ts, because no schema can express it.
import { createRequire } from 'node:module';
import { LabelArraySchema, SearchPageResponseSearchResultSchema, UserSchema } from 'confluence.js/v1';
import { PageSchema, PagesSchema, SpacesSchema } from 'confluence.js/v2';
import { z } from 'zod';
import type { ZodOperation } from './zod-server.js';

export const CONFLUENCE_JS_VERSION = (
  createRequire(import.meta.url)('confluence.js/package.json') as { version: string }
).version;

const body = z.strictObject({
  representation: z.enum(['storage', 'atlas_doc_format', 'wiki']),
  value: z.string(),
});
const numeric = z.string().regex(/^\d+$/, 'an integer id');
const bool = z.enum(['true', 'false']);
const list = (item: z.ZodType) => z.union([item, z.array(item)]);

export const pageCreateRequest = z.strictObject({
  spaceId: numeric,
  status: z.enum(['current', 'draft']).optional(),
  title: z.string().min(1).max(255).optional(),
  parentId: numeric.optional(),
  body: body.optional(),
  subtype: z.enum(['live']).optional(),
});

export const pageUpdateRequest = z.strictObject({
  id: numeric,
  status: z.enum(['current', 'draft']),
  title: z.string().min(1).max(255),
  spaceId: numeric.optional(),
  parentId: numeric.optional(),
  ownerId: z.string().optional(),
  body,
  version: z.strictObject({ number: z.number().int().positive(), message: z.string().optional() }),
});

// Atlassian's error body on v2 and on v1.
const v2Error = z.object({
  errors: z.array(
    z.object({
      status: z.number(),
      code: z.string(),
      title: z.string(),
      detail: z.string().nullable().optional(),
    }),
  ),
});
const v1Error = z.object({ statusCode: z.number(), message: z.string() });

export const confluenceOperations: readonly ZodOperation[] = [
  {
    id: 'getCurrentUser',
    method: 'GET',
    path: '/wiki/rest/api/user/current',
    query: z.strictObject({ expand: z.string().optional() }),
    responses: { 200: UserSchema, 401: v1Error, 403: v1Error },
  },
  {
    id: 'getSpaces',
    method: 'GET',
    path: '/wiki/api/v2/spaces',
    query: z.strictObject({ keys: list(z.string()), limit: z.string().regex(/^\d+$/).optional() }),
    responses: { 200: SpacesSchema, 400: v2Error, 401: v2Error },
  },
  {
    id: 'getPages',
    method: 'GET',
    path: '/wiki/api/v2/pages',
    query: z.strictObject({
      'space-id': list(numeric),
      title: z.string(),
      status: list(z.enum(['current', 'archived', 'deleted', 'trashed'])).optional(),
      limit: z.string().regex(/^\d+$/).optional(),
    }),
    responses: { 200: PagesSchema, 400: v2Error, 401: v2Error },
  },
  {
    id: 'getPageById',
    method: 'GET',
    path: '/wiki/api/v2/pages/{id}',
    query: z.strictObject({
      'body-format': z.enum(['storage', 'atlas_doc_format']).optional(),
      'include-labels': bool.optional(),
    }),
    responses: { 200: PageSchema, 400: v2Error, 401: v2Error, 404: v2Error },
  },
  {
    id: 'createPage',
    method: 'POST',
    path: '/wiki/api/v2/pages',
    body: pageCreateRequest,
    responses: { 200: PageSchema, 400: v2Error, 401: v2Error, 403: v2Error, 404: v2Error },
  },
  {
    id: 'updatePage',
    method: 'PUT',
    path: '/wiki/api/v2/pages/{id}',
    body: pageUpdateRequest,
    // 409 is not in Atlassian's v2 document, but it is what Confluence answers to a stale version number.
    responses: { 200: PageSchema, 400: v2Error, 401: v2Error, 404: v2Error, 409: v2Error },
  },
  {
    id: 'addLabelsToContent',
    method: 'POST',
    path: '/wiki/rest/api/content/{id}/label',
    body: z.array(
      z.strictObject({
        prefix: z.enum(['global', 'my', 'team']),
        name: z
          .string()
          .regex(/^[^\s:;,.!#&()*<>?@[\]^]+$/, 'a label without spaces or reserved characters')
          .max(255),
      }),
    ),
    responses: { 200: LabelArraySchema, 400: v1Error, 403: v1Error, 404: v1Error },
  },
  {
    id: 'searchByCQL',
    method: 'GET',
    path: '/wiki/rest/api/search',
    query: z.strictObject({ cql: z.string().min(1), limit: z.string().regex(/^\d+$/).optional() }),
    responses: { 200: SearchPageResponseSearchResultSchema, 400: v1Error },
  },
];

/** Statuses any operation may answer (Atlassian documents 429 once, for the whole API). */
export const confluenceGlobalResponses = {
  429: z.union([v2Error, v1Error]),
  403: z.union([v2Error, v1Error]),
};
