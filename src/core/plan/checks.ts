// The plan's rules beyond its shape: unique keys, dependencies on known task keys, no dependency cycles, and a task
// count within limits. Also the single entry point that turns any value into a Plan or a list of exact problems.
import type { z } from 'zod';
import { allTasks, planSchema, type Plan } from './schema.js';

export interface PlanIssue {
  /** Where in the plan, as a path (`epics.1.tasks.2.depends_on.0`), for positions in YAML; [] for the whole plan. */
  path: (string | number)[];
  message: string;
}

export interface TaskLimits {
  minTasks: number;
  maxTasks: number;
}

export type PlanValidation = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[] };

export function validatePlan(value: unknown, limits: TaskLimits): PlanValidation {
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = checkPlan(parsed.data, limits);
  return issues.length ? { ok: false, issues } : { ok: true, plan: parsed.data };
}

export function checkPlan(plan: Plan, limits: TaskLimits): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const seen = new Map<string, string>();
  const taskKeys = new Set<string>();
  const epicKeys = new Set<string>();
  const claim = (key: string, path: (string | number)[]) => {
    const first = seen.get(key);
    if (first) issues.push({ path, message: `duplicate key "${key}" (first used at ${first})` });
    else seen.set(key, dotted(path));
  };
  plan.epics.forEach((epic, e) => {
    claim(epic.key, ['epics', e, 'key']);
    epicKeys.add(epic.key);
    epic.tasks.forEach((task, t) => {
      claim(task.key, ['epics', e, 'tasks', t, 'key']);
      taskKeys.add(task.key);
    });
  });
  plan.epics.forEach((epic, e) =>
    epic.tasks.forEach((task, t) =>
      task.depends_on.forEach((dep, d) => {
        const path = ['epics', e, 'tasks', t, 'depends_on', d];
        if (taskKeys.has(dep)) return;
        issues.push({
          path,
          message: epicKeys.has(dep)
            ? `task ${task.key} depends on "${dep}", which is an epic; depend on tasks only`
            : `task ${task.key} depends on "${dep}", which is no task key in the plan`,
        });
      }),
    ),
  );
  // With a key used twice, "depends on X" is ambiguous, so cycles are looked for only once keys are unique.
  const cycle = issues.some((i) => i.message.startsWith('duplicate key')) ? null : findCycle(plan);
  if (cycle) {
    const at = locate(plan, cycle[0]!);
    issues.push({
      path: at ? ['epics', at.e, 'tasks', at.t, 'depends_on'] : [],
      message: `dependency cycle: ${cycle.join(' → ')}`,
    });
  }
  const count = allTasks(plan).length;
  if (count < limits.minTasks)
    issues.push({
      path: ['epics'],
      message: `the plan has ${count} task${count === 1 ? '' : 's'}; at least ${limits.minTasks} are needed (plan.min_tasks)`,
    });
  if (count > limits.maxTasks)
    issues.push({
      path: ['epics'],
      message: `the plan has ${count} tasks; at most ${limits.maxTasks} are allowed (plan.max_tasks)`,
    });
  return issues;
}

/** The first cycle found by a depth-first walk, as keys with the start repeated at the end; null when acyclic. */
export function findCycle(plan: Plan): string[] | null {
  const deps = new Map(allTasks(plan).map(({ task }) => [task.key, task.depends_on]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    const mark = state.get(key);
    if (mark === 'done') return null;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(key, 'done');
    return null;
  };
  for (const key of deps.keys()) {
    const found = visit(key);
    if (found) return found;
  }
  return null;
}

/** Tasks ordered so that each comes after the tasks it depends on (plan order otherwise). Assumes no cycle. */
export function topologicalTasks(plan: Plan): string[] {
  const deps = new Map(allTasks(plan).map(({ task }) => [task.key, task.depends_on]));
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (key: string) => {
    if (done.has(key)) return;
    done.add(key);
    for (const dep of deps.get(key) ?? []) if (deps.has(dep)) visit(dep);
    out.push(key);
  };
  for (const key of deps.keys()) visit(key);
  return out;
}

export function formatPlanIssues(
  issues: readonly PlanIssue[],
  max = 5,
  where?: (path: PlanIssue['path']) => string,
): string {
  const lines = issues.slice(0, max).map((i) => {
    const at = where ? where(i.path) : dotted(i.path) || '(plan)';
    return `  ${at}: ${i.message}`;
  });
  if (issues.length > max) lines.push(`  and ${issues.length - max} more`);
  return lines.join('\n');
}

export function dotted(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

function locate(plan: Plan, key: string): { e: number; t: number } | undefined {
  for (const [e, epic] of plan.epics.entries()) {
    const t = epic.tasks.findIndex((task) => task.key === key);
    if (t >= 0) return { e, t };
  }
  return undefined;
}

function zodIssues(error: z.ZodError): PlanIssue[] {
  const out: PlanIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field "${key}"` });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
