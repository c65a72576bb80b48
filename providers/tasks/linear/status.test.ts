import { describe, expect, it } from 'vitest';
import { AidevError } from '../../../src/core/errors.js';
import { stateForStatus, statusOfState, type WorkflowState } from './status.js';

const states: WorkflowState[] = [
  { id: 'b', name: 'Backlog', type: 'backlog', position: 0 },
  { id: 't', name: 'Todo', type: 'unstarted', position: 1 },
  { id: 'r', name: 'In Review', type: 'started', position: 3 },
  { id: 'p', name: 'In Progress', type: 'started', position: 2 },
  { id: 'd', name: 'Done', type: 'completed', position: 4 },
  { id: 'x', name: 'Canceled', type: 'canceled', position: 5 },
];
const where = { path: 'tasks.linear', team: 'ENG' };

describe('Linear status mapping', () => {
  it('reads states by mapping first, then by type and a review-like name', () => {
    expect(statusOfState({ name: 'Triage', type: 'triage' }, undefined)).toBe('todo');
    expect(statusOfState({ name: 'In Progress', type: 'started' }, undefined)).toBe('in_progress');
    expect(statusOfState({ name: 'Needs review', type: 'started' }, undefined)).toBe('in_review');
    expect(statusOfState({ name: 'Canceled', type: 'canceled' }, undefined)).toBe('done');
    expect(statusOfState({ name: 'QA', type: 'started' }, { in_review: ['Code Review', 'qa'] })).toBe(
      'in_review',
    );
  });

  it('writes the first state of the right type by position, and In Review for in_review', () => {
    expect(stateForStatus(states, 'todo', undefined, where).id).toBe('t');
    expect(stateForStatus(states, 'in_progress', undefined, where).id).toBe('p');
    expect(stateForStatus(states, 'in_review', undefined, where).id).toBe('r');
    expect(stateForStatus(states, 'done', undefined, where).id).toBe('d');
    expect(stateForStatus(states, 'done', { done: ['Shipped', 'canceled'] }, where).id).toBe('x');
  });

  it('names the setting when nothing fits', () => {
    const noReview = states.filter((s) => s.id !== 'r');
    const error = (() => {
      try {
        stateForStatus(noReview, 'in_review', undefined, where);
      } catch (e) {
        return e as AidevError;
      }
    })();
    expect(error).toBeInstanceOf(AidevError);
    expect(error!.details).toEqual({ path: 'tasks.linear.status_mapping.in_review' });
    expect(error!.hint).toContain('In Progress');
  });
});
