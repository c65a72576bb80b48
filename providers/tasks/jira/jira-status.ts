// Jira statuses ↔ aidev's four: status_mapping names first, then Jira's status categories (new / indeterminate /
// done); in_review has no category of its own, so it is found by name. Also builds the JQL of `aidev tasks list`.
import { TASK_STATUSES, type TaskFilter, type TaskStatus } from '../../types.js';
import type { JiraTransition } from './jira-api.js';
import type { JiraConfig } from './config.js';

type StatusMappingConfig = JiraConfig['status_mapping'];

const CATEGORY: Record<string, TaskStatus> = { new: 'todo', indeterminate: 'in_progress', done: 'done' };
const REVIEW_NAMES = ['in review', 'review', 'code review', 'under review', 'in code review'];
const DEFAULT_NAMES: Record<TaskStatus, string[]> = {
  todo: ['to do', 'open', 'backlog'],
  in_progress: ['in progress'],
  in_review: REVIEW_NAMES,
  done: ['done', 'closed', 'resolved'],
};

function namesOf(mapping: StatusMappingConfig | undefined, status: TaskStatus): string[] {
  const value = mapping?.[status];
  return (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((n) => n.toLowerCase());
}

/** The standard status of a Jira status (its name and category key). */
export function statusOf(
  name: string,
  categoryKey: string,
  mapping: StatusMappingConfig | undefined,
): TaskStatus {
  const lower = name.toLowerCase();
  for (const status of TASK_STATUSES) if (namesOf(mapping, status).includes(lower)) return status;
  if (REVIEW_NAMES.includes(lower)) return 'in_review';
  return CATEGORY[categoryKey] ?? 'todo';
}

/**
 * The transition that reaches `status`: one whose target is a mapped name (in the mapping's order); unmapped, one
 * whose target has the status's usual name, else (not in_review) its category.
 */
export function chooseTransition(
  transitions: JiraTransition[],
  status: TaskStatus,
  mapping: StatusMappingConfig | undefined,
): JiraTransition | undefined {
  const byName = (names: string[]) => {
    for (const name of names) {
      const found = transitions.find((t) => t.to.name.toLowerCase() === name);
      if (found) return found;
    }
    return undefined;
  };
  const mapped = namesOf(mapping, status);
  if (mapped.length) return byName(mapped);
  const named = byName(DEFAULT_NAMES[status]);
  if (named || status === 'in_review') return named;
  // A category match must not land on a status the mapping (or the defaults) give to another standard status.
  return transitions.find(
    (t) => CATEGORY[t.to.categoryKey] === status && statusOf(t.to.name, t.to.categoryKey, mapping) === status,
  );
}

/** What to tell the user when no transition fits: the transitions there are, and what to map. */
export function describeTransitions(transitions: JiraTransition[]): string {
  return transitions.length
    ? transitions.map((t) => `"${t.name}" → ${t.to.name}`).join(', ')
    : 'none (the workflow offers no transition from here, or the account may not transition this issue)';
}

/** `jql` from config (or the project) with the filters ANDed on, keeping its ORDER BY last. */
export function listJql(
  base: string | undefined,
  project: string | undefined,
  filter: TaskFilter,
  mapping: StatusMappingConfig | undefined,
): string {
  const source =
    base ??
    (project
      ? `project = "${project}" ORDER BY created DESC`
      : 'assignee = currentUser() ORDER BY updated DESC');
  const order = /\s+ORDER\s+BY\s+.+$/i.exec(source);
  const where = order ? source.slice(0, order.index).trim() : source.trim();
  const clauses = where ? [`(${where})`] : [];
  const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  if (filter.label) clauses.push(`labels = ${quote(filter.label)}`);
  if (filter.assignee)
    clauses.push(
      filter.assignee === 'me' ? 'assignee = currentUser()' : `assignee = ${quote(filter.assignee)}`,
    );
  if (filter.status) {
    const mapped = mapping?.[filter.status];
    const names = mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped];
    if (names.length) clauses.push(`status in (${names.map(quote).join(', ')})`);
    else if (filter.status !== 'in_review')
      clauses.push(
        `statusCategory = ${{ todo: '"To Do"', in_progress: '"In Progress"', done: 'Done' }[filter.status]}`,
      );
  }
  return `${clauses.join(' AND ')}${order ? ` ${order[0].trim()}` : ''}`;
}
