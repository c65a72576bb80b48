// An in-memory Linear workspace behind the schema-validating GraphQL fake: teams with workflow states and labels,
// issues with relations, comments, projects and users. It understands only the filters it is written for and treats
// any other filter key as a violation, so a provider cannot quietly send a filter the fake ignores.
import { linearSchema } from './linear-schema.js';
import { GraphqlFault, startGraphqlServer, type GraphqlServer } from './graphql-server.js';

export interface FakeState {
  id: string;
  name: string;
  type: string;
  position: number;
}
export interface FakeTeam {
  id: string;
  key: string;
  name: string;
  states: FakeState[];
  labels: { id: string; name: string }[];
}
export interface FakeIssue {
  id: string;
  identifier: string;
  teamId: string;
  title: string;
  description: string | null;
  stateId: string;
  assigneeId: string | null;
  labelIds: string[];
  parentId: string | null;
  projectId: string | null;
  estimate: number | null;
}
export interface FakeRelation {
  id: string;
  issueId: string;
  relatedIssueId: string;
  type: string;
}

export interface LinearFake {
  server: GraphqlServer;
  url: string;
  teams: FakeTeam[];
  issues: FakeIssue[];
  relations: FakeRelation[];
  comments: { id: string; issueId: string; body: string }[];
  projects: { id: string; name: string; description: string | null; teamIds: string[] }[];
  users: { id: string; name: string; displayName: string; email: string }[];
  /** Faults to answer the next requests with, in order (rate limits, auth errors). */
  faults: GraphqlFault[];
  apiKey: string;
  /** Root fields of the operations answered, in order. */
  calls(): string[];
  addIssue(partial: Partial<FakeIssue> & { title: string }, teamKey?: string): FakeIssue;
  stateNamed(name: string, teamKey?: string): FakeState;
}

const UUID_PREFIX = '00000000-0000-4000-8000-';

export function standardStates(prefix: string): FakeState[] {
  return [
    ['Backlog', 'backlog'],
    ['Todo', 'unstarted'],
    ['In Progress', 'started'],
    ['In Review', 'started'],
    ['Done', 'completed'],
    ['Canceled', 'canceled'],
  ].map(([name, type], i) => ({ id: `${prefix}-state-${i}`, name: name!, type: type!, position: i }));
}

export async function startLinearFake(
  options: { apiKey?: string; teams?: FakeTeam[] } = {},
): Promise<LinearFake> {
  let seq = 0;
  const uuid = (): string => UUID_PREFIX + String(++seq).padStart(12, '0');
  const fake = {
    teams: options.teams ?? [
      {
        id: uuid(),
        key: 'ENG',
        name: 'Engineering',
        states: standardStates('eng'),
        labels: [{ id: uuid(), name: 'Bug' }],
      },
    ],
    issues: [] as FakeIssue[],
    relations: [] as FakeRelation[],
    comments: [] as { id: string; issueId: string; body: string }[],
    projects: [] as { id: string; name: string; description: string | null; teamIds: string[] }[],
    users: [{ id: uuid(), name: 'Ada Lovelace', displayName: 'ada', email: 'ada@example.com' }],
    faults: [] as GraphqlFault[],
    apiKey: options.apiKey ?? 'lin_api_test_key',
  };
  const team = (id: string): FakeTeam => fake.teams.find((t) => t.id === id)!;
  const find = (ref: unknown): FakeIssue | undefined =>
    fake.issues.find((i) => i.id === ref || i.identifier === ref);
  const mustFind = (ref: unknown): FakeIssue => {
    const issue = find(ref);
    if (!issue)
      throw new GraphqlFault(
        'Entity not found: Issue',
        { type: 'invalid input', userPresentableMessage: `Could not find referenced Issue.` },
        200,
      );
    return issue;
  };

  const issueView = (i: FakeIssue): Record<string, unknown> => {
    const t = team(i.teamId);
    const user = fake.users.find((u) => u.id === i.assigneeId);
    const parent = i.parentId ? find(i.parentId) : undefined;
    return {
      id: i.id,
      identifier: i.identifier,
      title: i.title,
      description: i.description,
      url: `https://linear.app/acme/issue/${i.identifier.toLowerCase()}`,
      estimate: i.estimate,
      state: t.states.find((s) => s.id === i.stateId),
      assignee: user ?? null,
      labels: { nodes: t.labels.filter((l) => i.labelIds.includes(l.id)) },
      parent: parent ? { id: parent.id, identifier: parent.identifier } : null,
      children: { nodes: fake.issues.filter((c) => c.parentId === i.id).map((c) => ({ id: c.id })) },
      team: teamView(t),
      inverseRelations: {
        nodes: fake.relations
          .filter((r) => r.relatedIssueId === i.id)
          .map((r) => ({ type: r.type, issue: { identifier: find(r.issueId)!.identifier } })),
      },
    };
  };
  const teamView = (t: FakeTeam): Record<string, unknown> => ({
    id: t.id,
    key: t.key,
    name: t.name,
    states: { nodes: t.states },
    labels: { nodes: t.labels },
  });

  const server = await startGraphqlServer({
    schema: linearSchema(),
    before(request) {
      if (request.headers.authorization !== fake.apiKey)
        throw new GraphqlFault(
          'Authentication required, not authenticated',
          { type: 'authentication error', code: 'AUTHENTICATION_ERROR' },
          400,
        );
      const fault = fake.faults.shift();
      if (fault) throw fault;
    },
    query: {
      issue: ({ id }) => issueView(mustFind(id)),
      issues: ({ filter, first }) => ({
        nodes: fake.issues
          .filter((i) => matchIssue(i, filter as Filter | undefined))
          .slice(0, (first as number | null) ?? 50)
          .map(issueView),
      }),
      teams: ({ filter }) => ({
        nodes: fake.teams.filter((t) => matchFields(t, filter as Filter)).map(teamView),
      }),
      projects: ({ filter }) => ({
        nodes: fake.projects
          .filter((p) => matchFields(p, filter as Filter))
          .map((p) => ({ ...p, url: `https://linear.app/acme/project/${p.id}` })),
      }),
      users: ({ filter }) => ({ nodes: fake.users.filter((u) => matchFields(u, filter as Filter)) }),
      viewer: () => fake.users[0],
      organization: () => ({ urlKey: 'acme' }),
    },
    mutation: {
      issueCreate: ({ input }) => {
        const inp = input as Record<string, unknown>;
        const t = team(inp.teamId as string);
        if (!t) throw new GraphqlFault('Argument Validation Error', { type: 'invalid input' });
        const number = fake.issues.filter((i) => i.teamId === t.id).length + 1;
        const issue: FakeIssue = {
          id: uuid(),
          identifier: `${t.key}-${number}`,
          teamId: t.id,
          title: inp.title as string,
          description: (inp.description as string | undefined) ?? null,
          stateId: (inp.stateId as string | undefined) ?? t.states.find((s) => s.type === 'unstarted')!.id,
          assigneeId: (inp.assigneeId as string | undefined) ?? null,
          labelIds: (inp.labelIds as string[] | undefined) ?? [],
          parentId: inp.parentId ? mustFind(inp.parentId).id : null,
          projectId: (inp.projectId as string | undefined) ?? null,
          estimate: (inp.estimate as number | undefined) ?? null,
        };
        for (const l of issue.labelIds)
          if (!t.labels.some((x) => x.id === l))
            throw new GraphqlFault('label not in team', { type: 'invalid input' });
        fake.issues.push(issue);
        return { success: true, issue: issueView(issue) };
      },
      issueUpdate: ({ id, input }) => {
        const issue = mustFind(id);
        const inp = input as Record<string, unknown>;
        if (inp.stateId) {
          if (!team(issue.teamId).states.some((s) => s.id === inp.stateId))
            throw new GraphqlFault('state not in team', { type: 'invalid input' });
          issue.stateId = inp.stateId as string;
        }
        if (inp.parentId) issue.parentId = mustFind(inp.parentId).id;
        if (inp.projectId) issue.projectId = inp.projectId as string;
        return { success: true, issue: issueView(issue) };
      },
      commentCreate: ({ input }) => {
        const inp = input as { issueId: string; body: string };
        const issue = mustFind(inp.issueId);
        const comment = { id: uuid(), issueId: issue.id, body: inp.body };
        fake.comments.push(comment);
        return {
          success: true,
          comment: {
            ...comment,
            url: `https://linear.app/acme/issue/${issue.identifier}#comment-${comment.id}`,
          },
        };
      },
      issueRelationCreate: ({ input }) => {
        const inp = input as { issueId: string; relatedIssueId: string; type: string };
        const relation = {
          id: uuid(),
          issueId: mustFind(inp.issueId).id,
          relatedIssueId: mustFind(inp.relatedIssueId).id,
          type: inp.type,
        };
        fake.relations.push(relation);
        return { success: true, issueRelation: relation };
      },
      issueLabelCreate: ({ input }) => {
        const inp = input as { name: string; teamId: string };
        const label = { id: uuid(), name: inp.name };
        team(inp.teamId).labels.push(label);
        return { success: true, issueLabel: label };
      },
      projectCreate: ({ input }) => {
        const inp = input as { name: string; description?: string; teamIds: string[] };
        const project = {
          id: uuid(),
          name: inp.name,
          description: inp.description ?? null,
          teamIds: inp.teamIds,
        };
        fake.projects.push(project);
        return {
          success: true,
          project: { ...project, url: `https://linear.app/acme/project/${project.id}` },
        };
      },
    },
  });

  function matchIssue(i: FakeIssue, filter: Filter | undefined): boolean {
    if (!filter) return true;
    return Object.entries(filter).every(([key, value]) => {
      const v = value as Filter;
      switch (key) {
        case 'and':
          return (value as Filter[]).every((f) => matchIssue(i, f));
        case 'team':
          return matchFields(team(i.teamId), v);
        case 'project':
          return matchFields(fake.projects.find((p) => p.id === i.projectId) ?? {}, v);
        case 'state':
          return matchFields(
            team(i.teamId).states.find((s) => s.id === i.stateId)!,
            v,
          );
        case 'labels':
          return team(i.teamId).labels.some(
            (l) => i.labelIds.includes(l.id) && matchFields(l, (v as { some: Filter }).some),
          );
        case 'assignee': {
          const user = fake.users.find((u) => u.id === i.assigneeId);
          if ('isMe' in v) return user?.id === fake.users[0]!.id;
          return user !== undefined && matchFields(user, v);
        }
        default:
          throw new Error(`the Linear fake does not understand the issue filter "${key}"`);
      }
    });
  }

  return {
    ...fake,
    server,
    url: server.url,
    calls: () => server.operations.flatMap((o) => o.rootFields),
    addIssue(partial, teamKey = 'ENG') {
      const t = fake.teams.find((x) => x.key === teamKey)!;
      const number = fake.issues.filter((i) => i.teamId === t.id).length + 1;
      const issue: FakeIssue = {
        id: uuid(),
        identifier: `${t.key}-${number}`,
        teamId: t.id,
        description: null,
        stateId: t.states.find((s) => s.type === 'unstarted')!.id,
        assigneeId: null,
        labelIds: [],
        parentId: null,
        projectId: null,
        estimate: null,
        ...partial,
      };
      fake.issues.push(issue);
      return issue;
    },
    stateNamed(name, teamKey = 'ENG') {
      return fake.teams.find((t) => t.key === teamKey)!.states.find((s) => s.name === name)!;
    },
  };
}

type Filter = Record<string, unknown>;

/** `{field: {eq|eqIgnoreCase|in: …}}`, with `or`/`and`; anything else is an error the test sees. */
function matchFields(target: object, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const record = target as Record<string, unknown>;
  return Object.entries(filter).every(([key, cmp]) => {
    if (key === 'or') return (cmp as Filter[]).some((f) => matchFields(target, f));
    if (key === 'and') return (cmp as Filter[]).every((f) => matchFields(target, f));
    const value = record[key];
    return Object.entries(cmp as Filter).every(([op, expected]) => {
      if (op === 'eq') return value === expected;
      if (op === 'eqIgnoreCase') return String(value).toLowerCase() === String(expected).toLowerCase();
      if (op === 'in') return (expected as unknown[]).includes(value);
      throw new Error(`the Linear fake does not understand the comparator "${op}" on "${key}"`);
    });
  });
}
