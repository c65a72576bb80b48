// Pure mapping between Linear's GraphQL nodes and aidev's standard task, plus the filters and estimate rules.
import { AidevError } from '../../../src/core/errors.js';
import type { Task } from '../../types.js';
import type { LinearTasksConfig } from './config.js';
import type { IssueNode } from './queries.js';
import { statusOfState } from './status.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toTask(issue: IssueNode, mapping: LinearTasksConfig['status_mapping']): Task {
  const labels = issue.labels.nodes.map((l) => l.name);
  return {
    id: issue.identifier,
    type: issue.children.nodes.length
      ? 'epic'
      : labels.some((l) => l.toLowerCase() === 'bug')
        ? 'bug'
        : 'task',
    title: issue.title,
    description: issue.description ?? '',
    status: statusOfState(issue.state, mapping),
    assignee: issue.assignee ? issue.assignee.email || issue.assignee.displayName : null,
    labels,
    url: issue.url,
    parentId: issue.parent?.identifier,
    dependsOn: issue.inverseRelations.nodes.filter((r) => r.type === 'blocks').map((r) => r.issue.identifier),
    estimate: issue.estimate ?? undefined,
  };
}

export function teamFilter(team: string): Record<string, unknown> {
  return UUID.test(team)
    ? { id: { eq: team } }
    : { or: [{ key: { eqIgnoreCase: team } }, { name: { eqIgnoreCase: team } }] };
}

export function projectFilter(project: string): Record<string, unknown> {
  return UUID.test(project) ? { id: { eq: project } } : { name: { eqIgnoreCase: project } };
}

/** Linear estimates are whole points; "3" is accepted, "L" is not (T-shirt sizes map to points in Linear's UI only). */
export function estimateOf(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new AidevError('USAGE', `Linear estimates are points, got "${value}"`, {
      hint: 'give the estimate as a number of points, e.g. 3',
    });
  return Math.round(n);
}
