// The Jira calls the tracker needs, behind one interface with two dialects: Cloud (REST v3, rich text as ADF) and
// Data Center (REST v2, wiki markup). Rich text crosses this boundary as markdown in both directions.

/** An issue as both dialects return it: Jira's own `fields`, except `description` is already markdown. */
export interface JiraIssue {
  id: string;
  key: string;
  fields: JiraFields;
}

export interface JiraFields {
  summary?: string;
  description?: string | null;
  status?: { name?: string; statusCategory?: { key?: string } };
  assignee?: { displayName?: string; accountId?: string; name?: string; emailAddress?: string } | null;
  labels?: string[];
  parent?: { key?: string } | null;
  issuetype?: { name?: string; subtask?: boolean; hierarchyLevel?: number };
  issuelinks?: {
    type?: { name?: string };
    inwardIssue?: { key?: string };
    outwardIssue?: { key?: string };
  }[];
  [field: string]: unknown;
}

export interface JiraTransition {
  id: string;
  name: string;
  to: { name: string; categoryKey: string };
}

export interface JiraField {
  id: string;
  name: string;
  custom: boolean;
  /** e.g. com.atlassian.jira.plugin.system.customfieldtypes:textarea */
  customType?: string | undefined;
}

/** A rich-text value (description, multi-line custom fields), converted to the dialect's format when sent. */
export class RichText {
  constructor(readonly markdown: string) {}
}

export type FieldValues = Record<string, unknown>;

export interface JiraApi {
  readonly deployment: 'cloud' | 'data_center';
  getIssue(key: string, fields: readonly string[]): Promise<JiraIssue>;
  search(jql: string, fields: readonly string[], limit: number): Promise<JiraIssue[]>;
  createIssue(fields: FieldValues): Promise<{ id: string; key: string }>;
  editIssue(key: string, fields: FieldValues): Promise<void>;
  transitions(key: string): Promise<JiraTransition[]>;
  transition(key: string, transitionId: string): Promise<void>;
  addComment(key: string, markdown: string): Promise<{ id: string }>;
  /** "outward blocks inward", for the Blocks type (the outward issue is the link's "from" side). */
  link(type: string, outwardKey: string, inwardKey: string): Promise<void>;
  fields(): Promise<JiraField[]>;
  myself(): Promise<{ displayName: string; id: string }>;
}

/** Field values with every RichText replaced through `convert`. */
export function convertRich(fields: FieldValues, convert: (markdown: string) => unknown): FieldValues {
  const out: FieldValues = {};
  for (const [key, value] of Object.entries(fields))
    out[key] = value instanceof RichText ? convert(value.markdown) : value;
  return out;
}
