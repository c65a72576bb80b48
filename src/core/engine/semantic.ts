// Cross-step checks once every step is normalised: unique ids, each kind's own checks, variables that exist and point
// only backwards, and approval loops (`retry_step`) that go to an earlier step and nest instead of crossing.
import { closest, knownKeys } from '../config/issues.js';
import { configSchema } from '../config/schema.js';
import {
  ExpressionError,
  hasTemplate,
  parseExpression,
  parseTemplate,
  referencesOf,
  type Expr,
} from '../expressions/index.js';
import { specPath } from './compat.js';
import type { IssueList } from './issues.js';
import { stepKind } from './step-kinds.js';
import type { StepDef, ValidateContext, WorkflowDef } from './types.js';

const TASK_FIELDS = [
  'id',
  'type',
  'title',
  'description',
  'status',
  'assignee',
  'labels',
  'url',
  'parentId',
  'dependsOn',
  'estimate',
];
const RUN_FIELDS = ['id', 'workflow', 'task_id', 'started_at', 'repo'];
const STEP_FIELDS = ['outputs', 'outcome', 'conclusion'];
const ROOTS = ['inputs', 'steps', 'task', 'run', 'config', 'feedback'];
const FOREIGN: Record<string, string> = {
  env: 'environment variables are not visible to workflows; pass values in with --input',
  secrets: 'credentials stay in the environment and reach providers only; a workflow cannot read them',
  github: 'the github context is GitHub Actions only; use run.*, task.* or inputs.*',
  matrix: 'aidev workflows have no matrix',
};

export interface StepInfo {
  step: StepDef;
  index: number;
  sound: boolean;
  /** Output names it produces, or undefined when they cannot be known before running. */
  outputs: string[] | undefined;
  path: (string | number)[];
}

export function checkWorkflow(
  workflow: WorkflowDef,
  infos: StepInfo[],
  issues: IssueList,
  ctx: ValidateContext,
  declaredInputs: boolean,
): void {
  const seen = new Map<string, StepInfo>();
  for (const info of infos) {
    const first = seen.get(info.step.id);
    if (first)
      issues.add(
        [...info.path, 'id'],
        `duplicate step id "${info.step.id}" (first used at line ${first.step.where.line})`,
        'give every step its own id',
      );
    else seen.set(info.step.id, info);
  }
  for (const info of infos) {
    if (!info.sound) continue;
    const handler = stepKind(info.step.kind);
    if (handler?.validate) {
      for (const issue of handler.validate(info.step.spec, info.step, ctx))
        issues.add([...info.path, ...writtenAt(info.step, issue.path)], issue.message, issue.hint);
    }
    if (info.step.compensate) {
      const c = info.step.compensate;
      const ch = stepKind(c.kind);
      for (const issue of ch?.validate?.(c.spec, c, ctx) ?? [])
        issues.add([...info.path, 'compensate', ...writtenAt(c, issue.path)], issue.message, issue.hint);
    }
  }
  // Every output alias and its first publisher, so a read before the publishing step is caught even when the
  // workflow declares no inputs (the specification's form rarely does).
  const published = new Map<string, StepInfo>();
  for (const info of infos)
    for (const alias of Object.values(info.step.outputs))
      if (!published.has(alias)) published.set(alias, info);
  const aliases = new Map<string, StepInfo>();
  for (const info of infos) {
    const visible = { infos: infos.slice(0, info.index), byId: seen, published, workflow, declaredInputs };
    checkStepReferences(info.step, info.path, info, visible, issues, false);
    if (info.step.compensate)
      checkStepReferences(
        info.step.compensate,
        [...info.path, 'compensate'],
        info,
        { ...visible, infos: infos.slice(0, info.index + 1) },
        issues,
        true,
      );
    for (const [name, alias] of Object.entries(info.step.outputs)) {
      const other = aliases.get(alias);
      if (other)
        issues.add(
          [...info.path, 'outputs', name],
          `output alias "${alias}" is already published by step "${other.step.id}"`,
          'pick another name',
        );
      else if (workflow.inputs[alias])
        issues.add(
          [...info.path, 'outputs', name],
          `output alias "${alias}" hides the input of the same name`,
          'pick another name',
        );
      if (info.outputs && !info.outputs.includes(name)) {
        const guess = closest(name, info.outputs);
        issues.add(
          [...info.path, 'outputs', name],
          `step "${info.step.id}" has no output "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
          `its outputs are: ${info.outputs.join(', ') || '(none)'}`,
        );
      }
      aliases.set(alias, info);
    }
  }
  checkLoops(infos, issues);
}

/** A path inside a step as the file writes it (the specification's form names some keys differently). */
function writtenAt(step: StepDef, path: (string | number)[] | undefined): (string | number)[] {
  return step.compat ? specPath(step.kind, path ?? []) : (path ?? []);
}

interface Visible {
  infos: StepInfo[];
  byId: Map<string, StepInfo>;
  /** Output alias → the step that publishes it (anywhere in the workflow). */
  published: Map<string, StepInfo>;
  workflow: WorkflowDef;
  declaredInputs: boolean;
}

function checkStepReferences(
  step: StepDef,
  path: (string | number)[],
  owner: StepInfo,
  visible: Visible,
  issues: IssueList,
  compensation: boolean,
): void {
  const withKey = owner.step.compat && !compensation ? 'inputs' : 'with';
  const check = (expr: Expr, at: (string | number)[]) => {
    for (const ref of referencesOf(expr)) {
      const problem = referenceProblem(ref, owner, visible, compensation);
      if (problem) issues.add(at, problem.message, problem.hint);
    }
  };
  if (step.if !== undefined) {
    try {
      check(parseExpression(step.if), [...path, 'if']);
    } catch {
      // reported by normalize
    }
  }
  walkStrings(step.with, [...path, withKey], (value, at) => {
    if (!hasTemplate(value)) return;
    try {
      for (const part of parseTemplate(value)) if ('expr' in part) check(part.expr, at);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.add(at, error.message, error.hint);
    }
  });
}

function walkStrings(
  value: unknown,
  path: (string | number)[],
  visit: (value: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}

function referenceProblem(
  ref: string[],
  owner: StepInfo,
  visible: Visible,
  compensation: boolean,
): { message: string; hint?: string } | undefined {
  const [root, second, third, fourth] = ref;
  const shown = ref.join('.');
  const inputs = Object.keys(visible.workflow.inputs);
  switch (root) {
    case 'inputs':
      if (second === undefined || !visible.declaredInputs || inputs.includes(second)) return undefined;
      return {
        message: `unknown input "${second}" in \${${shown}}${didYouMean(second, inputs)}`,
        hint: inputs.length
          ? `the workflow's inputs are: ${inputs.join(', ')}`
          : 'declare it under `inputs:` at the top of the file',
      };
    case 'steps': {
      if (second === undefined) return { message: '`steps` needs a step id: steps.<id>.outputs.<name>' };
      const target = visible.byId.get(second);
      if (!target)
        return {
          message: `unknown step "${second}" in \${${shown}}${didYouMean(second, [...visible.byId.keys()])}`,
        };
      if (target === owner && !compensation)
        return {
          message: `step "${second}" refers to its own outputs`,
          hint: 'a step can read only the outputs of steps before it',
        };
      if (!visible.infos.includes(target))
        return {
          message: `\${${shown}} refers to step "${second}", which runs later (line ${target.step.where.line})`,
          hint: 'a step can read only the outputs of steps before it; move it, or reorder the steps',
        };
      if (third === undefined) return undefined;
      if (!STEP_FIELDS.includes(third))
        return {
          message: `\${${shown}}: steps.${second} has ${STEP_FIELDS.join(', ')}, not "${third}"`,
          hint: `write steps.${second}.outputs.${third}`,
        };
      if (third !== 'outputs' || fourth === undefined || !target.sound || !target.outputs) return undefined;
      const names = [...target.outputs, ...Object.values(target.step.outputs)];
      if (names.includes(fourth)) return undefined;
      return {
        message: `step "${second}" has no output "${fourth}"${didYouMean(fourth, names)}`,
        hint: `its outputs are: ${names.join(', ') || '(none)'}`,
      };
    }
    case 'task':
      if (second === undefined || TASK_FIELDS.includes(second)) return undefined;
      return {
        message: `a task has no field "${second}"${didYouMean(second, TASK_FIELDS)}`,
        hint: `task fields: ${TASK_FIELDS.join(', ')}`,
      };
    case 'run':
      if (second === undefined || RUN_FIELDS.includes(second)) return undefined;
      return {
        message: `run has no field "${second}"${didYouMean(second, RUN_FIELDS)}`,
        hint: `run fields: ${RUN_FIELDS.join(', ')}`,
      };
    case 'config':
      return configProblem(ref.slice(1));
    case 'feedback':
      return undefined;
    default: {
      if (root === undefined) return undefined;
      if (FOREIGN[root])
        return { message: `\`${root}\` is not available in aidev workflows`, hint: FOREIGN[root] };
      if (inputs.includes(root)) return undefined;
      const publisher = visible.published.get(root);
      if (publisher && visible.infos.includes(publisher)) return undefined;
      if (publisher === owner)
        return {
          message: `step "${owner.step.id}" reads \${${root}}, which it publishes itself`,
          hint: 'a step can read only values from steps before it',
        };
      if (publisher)
        return {
          message: `\${${root}} is published by step "${publisher.step.id}", which runs later (line ${publisher.step.where.line})`,
          hint: 'a step can read only values from steps before it; move the step that publishes it earlier',
        };
      if (!visible.declaredInputs) return undefined;
      const candidates = [...ROOTS, ...inputs, ...visible.published.keys()];
      return {
        message: `unknown variable "${root}"${didYouMean(root, candidates)}`,
        hint: 'variables are inputs.*, steps.<id>.outputs.*, task.*, run.*, config.*, feedback, an input name or an output alias',
      };
    }
  }
}

function configProblem(path: string[]): { message: string; hint?: string } | undefined {
  for (let i = 0; i < path.length; i++) {
    const known = knownKeys(configSchema, path.slice(0, i));
    if (!known.length) return undefined;
    if (!known.includes(path[i]!)) {
      const at = ['config', ...path.slice(0, i)].join('.');
      return {
        message: `${at} has no key "${path[i]!}"${didYouMean(path[i]!, known)}`,
        hint: `keys of ${at}: ${known.join(', ')}`,
      };
    }
  }
  return undefined;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/** retry_step must name an earlier step; loops must nest, since crossing loops would jump into each other forever. */
function checkLoops(infos: StepInfo[], issues: IssueList): void {
  const loops: { from: number; to: number; info: StepInfo }[] = [];
  const ids = infos.map((i) => i.step.id);
  for (const info of infos) {
    if (info.step.kind !== 'approval' || !info.sound) continue;
    const target = (info.step.spec as { retry_step?: string }).retry_step;
    if (target === undefined) continue;
    const at = [...info.path, 'approval', 'retry_step'];
    const index = ids.indexOf(target);
    if (index < 0) {
      issues.add(at, `retry_step "${target}" is not a step of this workflow${didYouMean(target, ids)}`);
    } else if (index === info.index) {
      issues.add(
        at,
        `retry_step "${target}" is the approval itself: a cycle that would ask forever`,
        'point it at the step that should redo the work, e.g. the agent step',
      );
    } else if (index > info.index) {
      issues.add(
        at,
        `retry_step "${target}" comes after the approval, which makes a cycle through retry_step`,
        'retry_step must name an earlier step',
      );
    } else loops.push({ from: index, to: info.index, info });
  }
  for (const a of loops) {
    for (const b of loops) {
      if (a !== b && a.from < b.from && b.from <= a.to && a.to < b.to) {
        issues.add(
          [...b.info.path, 'approval', 'retry_step'],
          `the loop of "${b.info.step.id}" (back to "${ids[b.from]!}") crosses the loop of "${a.info.step.id}" (back to "${ids[a.from]!}"), a cycle through retry_step`,
          'make one loop sit wholly inside the other',
        );
      }
    }
  }
}
