// The GraphQL documents the Linear tracker sends. Each action is one round trip with the nested data it needs, rather
// than the SDK models' lazy per-field fetches; the contract tests validate every one against the pinned SDK's schema.

const ISSUE_FIELDS = `
fragment AidevIssue on Issue {
  id
  identifier
  title
  description
  url
  estimate
  state { id name type }
  assignee { id name displayName email }
  labels(first: 50) { nodes { id name } }
  parent { id identifier }
  children(first: 1) { nodes { id } }
  team { id key }
  inverseRelations(first: 50) { nodes { type issue { identifier } } }
}`;

export const ISSUE_QUERY = `
query AidevIssue($id: String!) {
  issue(id: $id) { ...AidevIssue }
}
${ISSUE_FIELDS}`;

export const ISSUES_QUERY = `
query AidevIssues($filter: IssueFilter, $first: Int) {
  issues(filter: $filter, first: $first) { nodes { ...AidevIssue } }
}
${ISSUE_FIELDS}`;

const TEAM_FIELDS = `
fragment AidevTeam on Team {
  id
  key
  name
  states(first: 100) { nodes { id name type position } }
  labels(first: 250) { nodes { id name } }
}`;

export const TEAMS_QUERY = `
query AidevTeams($filter: TeamFilter) {
  teams(filter: $filter, first: 2) { nodes { ...AidevTeam } }
}
${TEAM_FIELDS}`;

/** The issue's team with its workflow states: what updateStatus chooses from. */
export const ISSUE_TEAM_QUERY = `
query AidevIssueTeam($id: String!) {
  issue(id: $id) { id identifier team { ...AidevTeam } }
}
${TEAM_FIELDS}`;

export const PROJECTS_QUERY = `
query AidevProjects($filter: ProjectFilter) {
  projects(filter: $filter, first: 2) { nodes { id name url } }
}`;

export const ISSUE_CREATE = `
mutation AidevIssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...AidevIssue } }
}
${ISSUE_FIELDS}`;

export const ISSUE_UPDATE = `
mutation AidevIssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...AidevIssue } }
}
${ISSUE_FIELDS}`;

export const COMMENT_CREATE = `
mutation AidevCommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id url } }
}`;

export const RELATION_CREATE = `
mutation AidevIssueRelationCreate($input: IssueRelationCreateInput!) {
  issueRelationCreate(input: $input) { success issueRelation { id type } }
}`;

export const LABEL_CREATE = `
mutation AidevIssueLabelCreate($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name } }
}`;

export const PROJECT_CREATE = `
mutation AidevProjectCreate($input: ProjectCreateInput!) {
  projectCreate(input: $input) { success project { id name url } }
}`;

export const USERS_QUERY = `
query AidevUsers($filter: UserFilter) {
  users(filter: $filter, first: 2) { nodes { id } }
}`;

export const VIEWER_QUERY = `
query AidevViewer {
  viewer { id name email }
  organization { urlKey }
}`;

// ---- response shapes (the fields selected above) ----

export interface IssueNode {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  url: string;
  estimate: number | null;
  state: StateNode;
  assignee: { id: string; name: string; displayName: string; email: string } | null;
  labels: { nodes: { id: string; name: string }[] };
  parent: { id: string; identifier: string } | null;
  children: { nodes: { id: string }[] };
  team: { id: string; key: string };
  inverseRelations: { nodes: { type: string; issue: { identifier: string } }[] };
}

export interface StateNode {
  id: string;
  name: string;
  type: string;
  position?: number;
}

export interface TeamNode {
  id: string;
  key: string;
  name: string;
  states: { nodes: Required<StateNode>[] };
  labels: { nodes: { id: string; name: string }[] };
}

export interface ProjectNode {
  id: string;
  name: string;
  url: string;
}
