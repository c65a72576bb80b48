// The Jira operations tasks.jira uses, as zod contracts for startZodFake, for Cloud (REST v3) and Data Center (REST v2).
// Responses and bodies are jira.js's own exported model schemas (generated from Atlassian's v3 OpenAPI), made strict
// with zod-walk. Where jira.js leaves a shape open — an issue's `fields` and rich text are Record<string, any> — the
// schemas here mirror Atlassian's documentation: the system fields by their jira.js models, ADF by the ADF JSON schema
// (nodes, marks, and the rule that `code` combines with `link` only), and v2's wiki-markup strings for Data Center.
import { createRequire } from 'node:module';
import {
  CommentInputSchema,
  CommentSchema,
  CreatedIssueSchema,
  DashboardUserSchema,
  ErrorCollectionSchema,
  FieldDetailsSchema,
  IssueLinkSchema,
  IssueSchema,
  IssueTypeDetailsSchema,
  IssueUpdateDetailsSchema,
  LinkedIssueSchema,
  LinkIssueRequestSchema,
  SearchAndReconcileResultsSchema,
  StatusDetailsSchema,
  TransitionsSchema,
  UserDetailsSchema,
} from 'jira.js/cloud';
import { z } from 'zod';
import type { ZodOperation } from './zod-server.js';
import { strict } from './zod-walk.js';

export const JIRA_JS_VERSION = (createRequire(import.meta.url)('jira.js/package.json') as { version: string })
  .version;

// ---- ADF (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/) ----
const simpleMark = (type: string) => z.strictObject({ type: z.literal(type) });
const mark = z.union([
  simpleMark('strong'),
  simpleMark('em'),
  simpleMark('strike'),
  simpleMark('underline'),
  simpleMark('code'),
  z.strictObject({
    type: z.literal('link'),
    attrs: z.strictObject({ href: z.string().min(1), title: z.string().optional() }),
  }),
]);
const text = z
  .strictObject({ type: z.literal('text'), text: z.string().min(1), marks: z.array(mark).optional() })
  .refine(
    (t) =>
      !t.marks?.some((m) => m.type === 'code') ||
      t.marks.every((m) => m.type === 'code' || m.type === 'link'),
    {
      message: 'the code mark may only be combined with link',
    },
  );
const inline = z.union([
  text,
  z.strictObject({ type: z.literal('hardBreak') }),
  z.strictObject({
    type: z.literal('mention'),
    attrs: z.strictObject({ id: z.string(), text: z.string().optional() }),
  }),
  z.strictObject({ type: z.literal('inlineCard'), attrs: z.strictObject({ url: z.string() }) }),
]);
type Block = { type: string; content?: unknown[]; attrs?: Record<string, unknown> };
const paragraph = z.strictObject({ type: z.literal('paragraph'), content: z.array(inline).optional() });
const codeBlock = z.strictObject({
  type: z.literal('codeBlock'),
  attrs: z.strictObject({ language: z.string().optional() }).optional(),
  content: z.array(z.strictObject({ type: z.literal('text'), text: z.string().min(1) })).optional(),
});
const listItem: z.ZodType<Block> = z.lazy(() =>
  z.strictObject({
    type: z.literal('listItem'),
    content: z.array(z.union([paragraph, codeBlock, bulletList, orderedList])).min(1),
  }),
);
const bulletList: z.ZodType<Block> = z.lazy(() =>
  z.strictObject({ type: z.literal('bulletList'), content: z.array(listItem).min(1) }),
);
const orderedList: z.ZodType<Block> = z.lazy(() =>
  z.strictObject({
    type: z.literal('orderedList'),
    attrs: z.strictObject({ order: z.number().int().min(0) }).optional(),
    content: z.array(listItem).min(1),
  }),
);
const heading = z.strictObject({
  type: z.literal('heading'),
  attrs: z.strictObject({ level: z.number().int().min(1).max(6) }),
  content: z.array(inline).optional(),
});
const blockquote = z.strictObject({
  type: z.literal('blockquote'),
  content: z.array(z.union([paragraph, bulletList, orderedList, codeBlock])).min(1),
});
const block = z.union([
  paragraph,
  heading,
  bulletList,
  orderedList,
  codeBlock,
  blockquote,
  z.strictObject({ type: z.literal('rule') }),
]);
export const adfDocument = z.strictObject({
  type: z.literal('doc'),
  version: z.literal(1),
  content: z.array(block),
});

// ---- issue fields ----
export type Deployment = 'cloud' | 'data_center';
const richText = (d: Deployment) => (d === 'cloud' ? adfDocument : z.string());
const ref = <K extends string>(key: K) =>
  z.strictObject({ [key]: z.string().min(1) } as Record<K, z.ZodString>);
// Custom fields are open (their shapes depend on the field type); any other undocumented key is a violation.
const customFieldsOnly = z.custom<unknown>(() => true);
const onlyCustomExtras =
  (shape: Record<string, unknown>) => (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(value))
      if (!(key in shape) && !/^customfield_\d+$/.test(key))
        ctx.addIssue({ code: 'custom', message: `fields.${key} is not a Jira field`, path: [key] });
  };

function fieldsWrite(d: Deployment) {
  const shape = {
    project: z.union([ref('key'), ref('id')]).optional(),
    summary: z.string().min(1).max(255).optional(),
    issuetype: z.union([ref('name'), ref('id')]).optional(),
    description: richText(d).optional(),
    labels: z.array(z.string().regex(/^\S+$/, 'Jira labels cannot contain spaces')).optional(),
    parent: ref('key').optional(),
    assignee: (d === 'cloud' ? ref('accountId') : ref('name')).nullable().optional(),
  };
  return z.object(shape).catchall(customFieldsOnly).superRefine(onlyCustomExtras(shape));
}

// Data Center (v2) still names users by `name`/`key`; Cloud by `accountId` (jira.js's UserDetails).
const dcUser = z.object({
  name: z.string(),
  key: z.string().optional(),
  displayName: z.string(),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
});
const userOf = (d: Deployment) => (d === 'cloud' ? UserDetailsSchema : dcUser);

function fieldsRead(d: Deployment) {
  const user = userOf(d);
  const shape = {
    summary: z.string(),
    description: richText(d).nullable(),
    status: StatusDetailsSchema,
    assignee: user.nullable(),
    labels: z.array(z.string()),
    parent: LinkedIssueSchema,
    issuetype: IssueTypeDetailsSchema,
    issuelinks: z.array(IssueLinkSchema),
  };
  return z.object(shape).partial().catchall(customFieldsOnly).superRefine(onlyCustomExtras(shape));
}

const issueRead = (d: Deployment) => strict(IssueSchema.extend({ fields: fieldsRead(d) }));
const createBody = (d: Deployment) => {
  const fields = fieldsWrite(d).refine((f) => f.project && f.summary && f.issuetype, {
    message: 'creating an issue needs fields.project, fields.summary and fields.issuetype',
  });
  return strict(IssueUpdateDetailsSchema.extend({ fields }));
};
const editBody = (d: Deployment) => strict(IssueUpdateDetailsSchema.extend({ fields: fieldsWrite(d) }));
const transitionBody = strict(z.strictObject({ transition: z.strictObject({ id: z.string().min(1) }) }));
const fieldsParam = z.union([z.string(), z.array(z.string())]);
const errorBody = strict(ErrorCollectionSchema);

export function jiraOperations(d: Deployment): ZodOperation[] {
  const v = d === 'cloud' ? 3 : 2;
  const api = `/rest/api/${v}`;
  const base: ZodOperation[] = [
    {
      id: 'getIssue',
      method: 'GET',
      path: `${api}/issue/{issueIdOrKey}`,
      query: z.strictObject({ fields: fieldsParam.optional(), expand: z.string().optional() }),
      responses: { 200: issueRead(d) },
    },
    {
      id: 'createIssue',
      method: 'POST',
      path: `${api}/issue`,
      body: createBody(d),
      responses: { 201: strict(CreatedIssueSchema) },
    },
    {
      id: 'editIssue',
      method: 'PUT',
      path: `${api}/issue/{issueIdOrKey}`,
      body: editBody(d),
      responses: { 204: null },
    },
    {
      id: 'getTransitions',
      method: 'GET',
      path: `${api}/issue/{issueIdOrKey}/transitions`,
      responses: { 200: strict(TransitionsSchema) },
    },
    {
      id: 'doTransition',
      method: 'POST',
      path: `${api}/issue/{issueIdOrKey}/transitions`,
      body: transitionBody,
      responses: { 204: null },
    },
    {
      id: 'addComment',
      method: 'POST',
      path: `${api}/issue/{issueIdOrKey}/comment`,
      body: strict(CommentInputSchema.extend({ body: richText(d) })),
      responses: {
        201: strict(
          CommentSchema.extend({
            body: richText(d),
            author: userOf(d).optional(),
            updateAuthor: userOf(d).optional(),
          }),
        ),
      },
    },
    {
      id: 'linkIssues',
      method: 'POST',
      path: `${api}/issueLink`,
      body: strict(LinkIssueRequestSchema),
      responses: { 201: null },
    },
    {
      id: 'getFields',
      method: 'GET',
      path: `${api}/field`,
      responses: { 200: strict(z.array(FieldDetailsSchema)) },
    },
  ];
  if (d === 'cloud')
    return [
      ...base,
      {
        id: 'search',
        method: 'GET',
        path: '/rest/api/3/search/jql',
        query: z.strictObject({
          jql: z.string().min(1),
          fields: fieldsParam.optional(),
          maxResults: z.coerce.number().int().min(1).max(5000).optional(),
          nextPageToken: z.string().optional(),
        }),
        responses: { 200: strict(SearchAndReconcileResultsSchema.extend({ issues: z.array(issueRead(d)) })) },
      },
      {
        id: 'myself',
        method: 'GET',
        path: '/rest/api/3/myself',
        responses: { 200: strict(DashboardUserSchema) },
      },
    ];
  return [
    ...base,
    {
      id: 'search',
      method: 'GET',
      path: '/rest/api/2/search',
      query: z.strictObject({
        jql: z.string().min(1),
        fields: fieldsParam.optional(),
        startAt: z.coerce.number().int().min(0).optional(),
        maxResults: z.coerce.number().int().min(1).max(1000).optional(),
      }),
      responses: {
        200: strict(
          z.object({
            startAt: z.number(),
            maxResults: z.number(),
            total: z.number(),
            issues: z.array(issueRead(d)),
          }),
        ),
      },
    },
    {
      id: 'myself',
      method: 'GET',
      path: '/rest/api/2/myself',
      responses: {
        200: z.strictObject({
          name: z.string(),
          key: z.string(),
          displayName: z.string(),
          emailAddress: z.string().optional(),
          active: z.boolean(),
        }),
      },
    },
  ];
}

/** Auth, permission, missing and rate-limit answers any operation may give, in Jira's ErrorCollection shape. */
export const jiraGlobalResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  429: errorBody,
};
