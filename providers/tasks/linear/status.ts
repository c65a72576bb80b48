// Standard status ⇄ a Linear team's workflow states: by status_mapping names first, else by the state's type
// (backlog/unstarted → todo, started → in_progress, completed/canceled → done); in_review is a started state named
// like "In Review", since Linear has no review type.
import { AidevError } from '../../../src/core/errors.js';
import type { statusMappingSchema } from '../../schema-common.js';
import type { TaskStatus } from '../../types.js';
import type { z } from 'zod';

type Mapping = z.infer<typeof statusMappingSchema> | undefined;

export interface WorkflowState {
  id: string;
  name: string;
  type: string;
  position?: number | undefined;
}

const REVIEW_NAME = /\breview/i;
const ORDER: TaskStatus[] = ['todo', 'in_progress', 'in_review', 'done'];

function namesFor(mapping: Mapping, status: TaskStatus): string[] {
  const value = mapping?.[status];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const same = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** The standard status of a Linear state. */
export function statusOfState(state: Pick<WorkflowState, 'name' | 'type'>, mapping: Mapping): TaskStatus {
  for (const status of ORDER) if (namesFor(mapping, status).some((n) => same(n, state.name))) return status;
  switch (state.type) {
    case 'started':
      return REVIEW_NAME.test(state.name) ? 'in_review' : 'in_progress';
    case 'completed':
    case 'canceled':
      return 'done';
    default:
      return 'todo'; // triage, backlog, unstarted
  }
}

/** The team state to move an issue to for `status`. `path` is the config block, for the error's hint. */
export function stateForStatus(
  states: readonly WorkflowState[],
  status: TaskStatus,
  mapping: Mapping,
  where: { path: string; team: string },
): WorkflowState {
  const mapped = namesFor(mapping, status);
  if (mapped.length) {
    const hit = mapped.map((n) => states.find((s) => same(s.name, n))).find(Boolean);
    if (hit) return hit;
    throw new AidevError(
      'CONFIG_INVALID',
      `${where.path}.status_mapping.${status} names ${mapped.map((n) => `"${n}"`).join(', ')}, but team ${where.team} has no such workflow state`,
      {
        hint: `use one of: ${states.map((s) => s.name).join(', ')}`,
        details: { path: `${where.path}.status_mapping.${status}` },
      },
    );
  }
  const byPosition = [...states].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const ofType = (...types: string[]): WorkflowState | undefined =>
    types.map((t) => byPosition.find((s) => s.type === t)).find(Boolean);
  let hit: WorkflowState | undefined;
  if (status === 'todo') hit = ofType('unstarted', 'backlog');
  else if (status === 'in_progress')
    hit = byPosition.find((s) => s.type === 'started' && !REVIEW_NAME.test(s.name)) ?? ofType('started');
  else if (status === 'in_review')
    hit = byPosition.find((s) => s.type === 'started' && REVIEW_NAME.test(s.name));
  else hit = ofType('completed');
  if (hit) return hit;
  throw new AidevError('CONFIG_INVALID', `team ${where.team} has no workflow state for "${status}"`, {
    hint:
      status === 'in_review'
        ? `add a started state named like "In Review" to the team, or set ${where.path}.status_mapping.in_review to one of: ${states.map((s) => s.name).join(', ')}`
        : `set ${where.path}.status_mapping.${status} to one of: ${states.map((s) => s.name).join(', ')}`,
    details: { path: `${where.path}.status_mapping.${status}` },
  });
}
