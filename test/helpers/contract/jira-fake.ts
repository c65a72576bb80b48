// A stateful Jira (Cloud v3 or Data Center v2) for contract tests, on startZodFake with jira-contract's schemas: issues
// with a small workflow (To Do → In Progress → In Review → Done), comments, links, custom fields, and the subset of JQL
// aidev writes (anything else answers 400, as Jira does). `fail()` queues one-off errors (401, 429 + Retry-After…).
import type { ContractResponse } from './loopback.js';
import { jiraGlobalResponses, jiraOperations, type Deployment } from './jira-contract.js';
import { startZodFake, type ZodFake, type ZodRequest } from './zod-server.js';

type Json = Record<string, unknown>;

export interface FakeStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  summary: string;
  /** ADF (Cloud) or wiki markup (Data Center), as stored. */
  description: unknown;
  status: FakeStatus;
  type: { name: string; subtask: boolean; hierarchyLevel: number };
  labels: string[];
  assignee: string | null;
  parent?: string | undefined;
  /** Comment bodies as received (ADF or wiki markup). */
  comments: unknown[];
  custom: Record<string, unknown>;
}

export const STATUSES: FakeStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10002', name: 'In Review', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

export interface JiraFake {
  api: ZodFake;
  url: string;
  issues: FakeJiraIssue[];
  links: { type: string; outward: string; inward: string }[];
  /** Transitions offered from a status (default: to every other status, named after the target). */
  transitionsFrom: (status: FakeStatus) => { id: string; name: string; to: FakeStatus }[];
  addIssue(fields: Partial<FakeJiraIssue> & { summary: string }): FakeJiraIssue;
  fail(operationId: string, response: ContractResponse): void;
}

const TYPES = {
  Epic: { name: 'Epic', subtask: false, hierarchyLevel: 1 },
  Task: { name: 'Task', subtask: false, hierarchyLevel: 0 },
  Story: { name: 'Story', subtask: false, hierarchyLevel: 0 },
  Bug: { name: 'Bug', subtask: false, hierarchyLevel: 0 },
  'Sub-task': { name: 'Sub-task', subtask: true, hierarchyLevel: -1 },
} as Record<string, FakeJiraIssue['type']>;

const FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  {
    id: 'customfield_10050',
    name: 'PR URL',
    custom: true,
    schema: {
      type: 'string',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:url',
      customId: 10050,
    },
  },
  {
    id: 'customfield_10051',
    name: 'Release notes',
    custom: true,
    schema: {
      type: 'string',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
      customId: 10051,
    },
  },
  {
    id: 'customfield_10016',
    name: 'Story point estimate',
    custom: true,
    schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 },
  },
];

export async function startJiraFake(
  options: { deployment?: Deployment; email?: string; token?: string; project?: string } = {},
): Promise<JiraFake> {
  const deployment = options.deployment ?? 'cloud';
  const email = options.email ?? 'dev@acme.test';
  const token = options.token ?? 'jira-token';
  const project = options.project ?? 'PROJ';
  const api = await startZodFake(jiraOperations(deployment), { globalResponses: jiraGlobalResponses });
  const issues: FakeJiraIssue[] = [];
  const links: JiraFake['links'] = [];
  const failures = new Map<string, ContractResponse[]>();
  const v = deployment === 'cloud' ? 3 : 2;
  const error = (status: number, ...messages: string[]): ContractResponse => ({
    status,
    body: { errorMessages: messages, errors: {} },
  });

  const fake: JiraFake = {
    api,
    url: api.origin,
    issues,
    links,
    transitionsFrom: (status) =>
      STATUSES.filter((s) => s.id !== status.id).map((to) => ({
        id: `t${to.id}`,
        name: to.category === 'done' ? 'Done' : `Move to ${to.name}`,
        to,
      })),
    addIssue(fields) {
      const n = issues.length + 1;
      const issue: FakeJiraIssue = {
        id: String(10000 + n),
        key: `${project}-${n}`,
        description: null,
        status: STATUSES[0]!,
        type: TYPES.Task!,
        labels: [],
        assignee: null,
        comments: [],
        custom: {},
        ...fields,
      };
      issues.push(issue);
      return issue;
    },
    fail(operationId, response) {
      failures.set(operationId, [...(failures.get(operationId) ?? []), response]);
    },
  };

  const find = (key: string) => issues.find((i) => i.key === key.toUpperCase() || i.id === key);
  const self = (path: string) => `${api.origin}/rest/api/${v}/${path}`;
  const statusJson = (s: FakeStatus) => ({
    self: self(`status/${s.id}`),
    id: s.id,
    name: s.name,
    statusCategory: {
      self: self(`statuscategory/${s.category}`),
      id: { new: 2, indeterminate: 4, done: 3 }[s.category],
      key: s.category,
      name: { new: 'To Do', indeterminate: 'In Progress', done: 'Done' }[s.category],
      colorName: 'blue-gray',
    },
  });
  const userJson = (name: string) =>
    deployment === 'cloud'
      ? {
          accountId: `acc-${name}`,
          displayName: name,
          active: true,
          accountType: 'atlassian',
          self: self(`user?accountId=acc-${name}`),
        }
      : { name, key: name, displayName: name, active: true };
  const typeJson = (t: FakeJiraIssue['type']) => ({
    id: String(10000 + t.hierarchyLevel + 5),
    name: t.name,
    subtask: t.subtask,
    hierarchyLevel: t.hierarchyLevel,
    self: self('issuetype/1'),
  });
  const linkedJson = (i: FakeJiraIssue) => ({
    id: i.id,
    key: i.key,
    self: self(`issue/${i.id}`),
    fields: { summary: i.summary, status: statusJson(i.status), issuetype: typeJson(i.type) },
  });
  const issueJson = (i: FakeJiraIssue, wanted: string[] | undefined): Json => {
    const all: Json = {
      summary: i.summary,
      description: i.description,
      status: statusJson(i.status),
      assignee: i.assignee ? userJson(i.assignee) : null,
      labels: i.labels,
      issuetype: typeJson(i.type),
      issuelinks: links
        .filter((l) => l.outward === i.key || l.inward === i.key)
        .map((l, n) => {
          // Seen from this issue, the other one is `inwardIssue` when this one "is blocked by" it.
          const other = find(l.outward === i.key ? l.inward : l.outward)!;
          const side = l.inward === i.key ? 'inwardIssue' : 'outwardIssue';
          return {
            id: String(20000 + n),
            self: self(`issueLink/${20000 + n}`),
            type: {
              id: '10000',
              name: l.type,
              inward: 'is blocked by',
              outward: 'blocks',
              self: self('issueLinkType/10000'),
            },
            [side]: linkedJson(other),
          };
        }),
      ...(i.parent ? { parent: linkedJson(find(i.parent)!) } : {}),
      ...i.custom,
    };
    const fields =
      wanted && !wanted.includes('*all')
        ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k)))
        : all;
    return { id: i.id, key: i.key, self: self(`issue/${i.id}`), fields };
  };
  const wantedFields = (r: ZodRequest) => {
    const f = r.query.fields;
    return f === undefined ? undefined : (Array.isArray(f) ? f : [f]).flatMap((x) => x.split(','));
  };

  const on = (operationId: string, handler: (r: ZodRequest) => ContractResponse) =>
    api.handle(operationId, (r) => {
      const auth = String(r.headers.authorization ?? '');
      const ok =
        deployment === 'cloud'
          ? auth === `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
          : auth === `Bearer ${token}`;
      if (!ok)
        return error(401, 'You are not authenticated. Authentication required to perform this operation.');
      const queued = failures.get(operationId)?.shift();
      if (queued) return queued;
      return handler(r);
    });
  const withIssue = (r: ZodRequest, then: (i: FakeJiraIssue) => ContractResponse) => {
    const issue = find(r.params.issueIdOrKey!);
    return issue ? then(issue) : error(404, 'Issue does not exist or you do not have permission to see it.');
  };

  on('getIssue', (r) => withIssue(r, (i) => ({ status: 200, body: issueJson(i, wantedFields(r)) })));
  on('search', (r) => {
    const matcher = jqlMatcher(String(r.query.jql), email);
    if (typeof matcher === 'string') return { status: 400, body: { errorMessages: [matcher], errors: {} } };
    const all = issues.filter(matcher).reverse();
    const max = Number(r.query.maxResults ?? 50);
    const start = Number(r.query.nextPageToken ?? r.query.startAt ?? 0);
    const page = all.slice(start, start + max).map((i) => issueJson(i, wantedFields(r)));
    const next = start + max < all.length ? String(start + max) : undefined;
    return deployment === 'cloud'
      ? { status: 200, body: { issues: page, isLast: !next, ...(next ? { nextPageToken: next } : {}) } }
      : { status: 200, body: { startAt: start, maxResults: max, total: all.length, issues: page } };
  });
  on('createIssue', (r) => {
    const fields = (r.body as { fields: Json }).fields;
    const typeName = (fields.issuetype as { name?: string }).name ?? '';
    const type = TYPES[typeName];
    if (!type)
      return {
        status: 400,
        body: { errorMessages: [], errors: { issuetype: 'Specify a valid issue type' } },
      };
    const parent = (fields.parent as { key?: string } | undefined)?.key;
    if (parent && !find(parent))
      return { status: 400, body: { errorMessages: [], errors: { parent: `Issue '${parent}' not found` } } };
    if (type.subtask && !parent)
      return { status: 400, body: { errorMessages: [], errors: { parent: 'Sub-tasks need a parent' } } };
    const custom = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('customfield_')));
    const issue = fake.addIssue({
      summary: String(fields.summary),
      description: fields.description ?? null,
      type,
      labels: (fields.labels as string[] | undefined) ?? [],
      parent,
      custom,
    });
    return { status: 201, body: { id: issue.id, key: issue.key, self: self(`issue/${issue.id}`) } };
  });
  on('editIssue', (r) =>
    withIssue(r, (i) => {
      const fields = (r.body as { fields: Json }).fields;
      for (const [k, value] of Object.entries(fields)) {
        if (k.startsWith('customfield_')) i.custom[k] = value;
        else if (k === 'summary') i.summary = String(value);
        else if (k === 'parent') i.parent = (value as { key: string }).key;
        else if (k === 'labels') i.labels = value as string[];
        else if (k === 'description') i.description = value;
      }
      return { status: 204 };
    }),
  );
  on('getTransitions', (r) =>
    withIssue(r, (i) => ({
      status: 200,
      body: {
        transitions: fake
          .transitionsFrom(i.status)
          .map((t) => ({ id: t.id, name: t.name, to: statusJson(t.to), hasScreen: false, isGlobal: true })),
      },
    })),
  );
  on('doTransition', (r) =>
    withIssue(r, (i) => {
      const id = (r.body as { transition: { id: string } }).transition.id;
      const transition = fake.transitionsFrom(i.status).find((t) => t.id === id);
      if (!transition)
        return {
          status: 400,
          body: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} },
        };
      i.status = transition.to;
      return { status: 204 };
    }),
  );
  on('addComment', (r) =>
    withIssue(r, (i) => {
      const body = (r.body as { body: unknown }).body;
      i.comments.push(body);
      const id = String(30000 + i.comments.length);
      return {
        status: 201,
        body: {
          id,
          self: self(`issue/${i.id}/comment/${id}`),
          body,
          author: userJson('aidev'),
          created: '2026-01-01T00:00:00.000+0000',
        },
      };
    }),
  );
  on('linkIssues', (r) => {
    const body = r.body as {
      type: { name: string };
      inwardIssue: { key: string };
      outwardIssue: { key: string };
    };
    if (!find(body.inwardIssue.key) || !find(body.outwardIssue.key))
      return error(404, 'Issue does not exist');
    if (body.type.name.toLowerCase() !== 'blocks' && body.type.name.toLowerCase() !== 'relates')
      return error(404, `No issue link type with name '${body.type.name}' found.`);
    links.push({ type: body.type.name, outward: body.outwardIssue.key, inward: body.inwardIssue.key });
    return { status: 201 };
  });
  on('getFields', () => ({ status: 200, body: FIELDS }));
  on('myself', () => ({
    status: 200,
    body:
      deployment === 'cloud'
        ? { accountId: 'acc-dev', displayName: 'Dev Eloper', emailAddress: email, active: true }
        : { name: 'dev', key: 'dev', displayName: 'Dev Eloper', active: true },
  }));
  return fake;
}

/** The JQL aidev writes: ANDed `project`, `labels`, `assignee`, `status in`, `statusCategory` clauses, ORDER BY. */
function jqlMatcher(jql: string, me: string): ((issue: FakeJiraIssue) => boolean) | string {
  const where = jql.replace(/\s+ORDER\s+BY\s+.*$/i, '').trim();
  const tests: ((i: FakeJiraIssue) => boolean)[] = [];
  const clauses: string[] = [];
  // Split on top-level AND; a parenthesised group is itself a list of ANDed clauses.
  const split = (text: string) => {
    let depth = 0;
    let start = 0;
    const parts: string[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
      else if (depth === 0 && /^\s+AND\s+/i.test(text.slice(i)) && /\s/.test(text[i]!)) {
        const m = /^\s+AND\s+/i.exec(text.slice(i))!;
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
    parts.push(text.slice(start));
    for (const part of parts.map((p) => p.trim())) {
      if (part.startsWith('(') && part.endsWith(')') && !/^\(.*\)\s*\(/.test(part)) split(part.slice(1, -1));
      else clauses.push(part);
    }
  };
  split(where);
  const unquote = (s: string) =>
    s
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/\\(.)/g, '$1');
  for (const clause of clauses) {
    let m: RegExpExecArray | null;
    if ((m = /^project\s*=\s*(.+)$/i.exec(clause))) {
      const key = unquote(m[1]!);
      tests.push((i) => i.key.startsWith(`${key}-`));
    } else if ((m = /^labels\s*=\s*(.+)$/i.exec(clause))) {
      const label = unquote(m[1]!);
      tests.push((i) => i.labels.includes(label));
    } else if (/^assignee\s*=\s*currentUser\(\)$/i.test(clause)) tests.push((i) => i.assignee === me);
    else if ((m = /^assignee\s*=\s*(.+)$/i.exec(clause))) {
      const who = unquote(m[1]!);
      tests.push((i) => i.assignee === who);
    } else if ((m = /^status\s+in\s*\((.+)\)$/i.exec(clause))) {
      const names = m[1]!.split(',').map((s) => unquote(s).toLowerCase());
      tests.push((i) => names.includes(i.status.name.toLowerCase()));
    } else if ((m = /^statusCategory\s*(=|!=)\s*(.+)$/i.exec(clause))) {
      const wanted = unquote(m[2]!).toLowerCase();
      const key = { 'to do': 'new', 'in progress': 'indeterminate', done: 'done' }[wanted] ?? wanted;
      const negate = m[1] === '!=';
      tests.push((i) => (i.status.category === key) !== negate);
    } else return `Error in the JQL Query: the fake does not understand "${clause}"`;
  }
  return (issue) => tests.every((t) => t(issue));
}
