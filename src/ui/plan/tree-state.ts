// The review tree's state, kept out of React so it is plain to test: which epics are open, where the cursor is, and
// the rows that are visible.
import type { Plan, PlanEpic, PlanTask } from '../../core/plan/schema.js';

export type TreeRow =
  | { kind: 'epic'; key: string; epic: PlanEpic; open: boolean }
  | { kind: 'task'; key: string; epic: PlanEpic; task: PlanTask; last: boolean };

export interface TreeState {
  open: ReadonlySet<string>;
  cursor: number;
}

export function initialTree(plan: Plan): TreeState {
  // The first epic starts open so the tasks' shape is visible at once; the rest stay folded.
  return { open: new Set(plan.epics.slice(0, 1).map((e) => e.key)), cursor: 0 };
}

export function visibleRows(plan: Plan, state: TreeState): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const epic of plan.epics) {
    const open = state.open.has(epic.key);
    rows.push({ kind: 'epic', key: epic.key, epic, open });
    if (open)
      epic.tasks.forEach((task, i) =>
        rows.push({ kind: 'task', key: task.key, epic, task, last: i === epic.tasks.length - 1 }),
      );
  }
  return rows;
}

export function moveCursor(plan: Plan, state: TreeState, delta: number): TreeState {
  const count = visibleRows(plan, state).length;
  return { ...state, cursor: Math.max(0, Math.min(count - 1, state.cursor + delta)) };
}

/** Opens or folds the epic under the cursor (on a task: its epic folds and the cursor moves to it). */
export function toggle(plan: Plan, state: TreeState, want?: boolean): TreeState {
  const rows = visibleRows(plan, state);
  const row = rows[state.cursor];
  if (!row) return state;
  const key = row.epic.key;
  const isOpen = state.open.has(key);
  const next = want ?? !isOpen;
  if (next === isOpen && row.kind === 'epic') return state;
  const open = new Set(state.open);
  if (next) open.add(key);
  else open.delete(key);
  const folded = { open, cursor: state.cursor };
  if (!next) folded.cursor = visibleRows(plan, folded).findIndex((r) => r.kind === 'epic' && r.key === key);
  return folded;
}

export function setAll(plan: Plan, state: TreeState, open: boolean): TreeState {
  const current = visibleRows(plan, state)[state.cursor];
  const next: TreeState = { open: new Set(open ? plan.epics.map((e) => e.key) : []), cursor: 0 };
  const at = visibleRows(plan, next).findIndex((r) => r.kind === 'epic' && r.key === current?.epic.key);
  return { ...next, cursor: Math.max(0, at) };
}

/** The slice of rows that fits `height` lines with the cursor in view. */
export function windowOf(
  rows: readonly TreeRow[],
  cursor: number,
  height: number,
): { start: number; rows: TreeRow[] } {
  if (rows.length <= height) return { start: 0, rows: [...rows] };
  const start = Math.max(0, Math.min(rows.length - height, cursor - Math.floor(height / 2)));
  return { start, rows: rows.slice(start, start + height) };
}
