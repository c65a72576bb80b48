// The plan as YAML for a person to edit, and back: parse errors and rule violations come out with file:line:col, so
// the editor round-trip can say exactly where a problem is.
import { stringify } from 'yaml';
import { parseYamlSource } from '../yaml-source.js';
import { validatePlan, type PlanIssue, type TaskLimits } from './checks.js';
import type { Plan } from './schema.js';

export interface LocatedIssue extends PlanIssue {
  /** `file:line:col`, or the file when the path has no node. */
  where: string;
}

export type EditResult = { ok: true; plan: Plan } | { ok: false; issues: LocatedIssue[] };

const HEADER = [
  '# The plan aidev will publish. Edit it and save; close the editor to continue.',
  '# Keys are unique; depends_on lists task keys; an empty file or a syntax error keeps the previous plan.',
  '',
].join('\n');

export function planToYaml(plan: Plan): string {
  return HEADER + stringify(plan, { lineWidth: 0 });
}

/** A person edited it, so the task count is theirs to decide: only the upper limit applies. */
export function parseEditedPlan(text: string, file: string, limits: TaskLimits): EditResult {
  const source = parseYamlSource(text, file);
  if (source.errors.length)
    return {
      ok: false,
      issues: source.errors.map((e) => ({
        path: [],
        message: e.message,
        where: `${file}:${e.pos.line}:${e.pos.col}`,
      })),
    };
  if (source.value === undefined || source.value === null)
    return { ok: false, issues: [{ path: [], message: 'the file is empty', where: file }] };
  const checked = validatePlan(source.value, { minTasks: 1, maxTasks: limits.maxTasks });
  if (checked.ok) return checked;
  return { ok: false, issues: checked.issues.map((i) => ({ ...i, where: source.where(i.path) })) };
}
