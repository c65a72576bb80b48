// Loads a workflow file: YAML with positions → zod shape → one StepDef per step → cross-step checks. Every problem is
// collected with file:line:col and a hint, so `aidev workflow validate` can report them all at once.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { AidevError } from '../errors.js';
import { parseYamlSource } from '../yaml-source.js';
import { IssueList, workflowInvalid, type WorkflowIssue } from './issues.js';
import { normalizeStep } from './normalize.js';
import { checkWorkflow, type StepInfo } from './semantic.js';
import { stepKind } from './step-kinds.js';
import type { InputDef, ValidateContext, WorkflowDef } from './types.js';
import { WORKFLOW_NAME, workflowSchema } from './workflow-schema.js';

export interface LoadResult {
  workflow: WorkflowDef | undefined;
  issues: WorkflowIssue[];
}

export function parseWorkflow(
  text: string,
  file: string,
  source: WorkflowDef['source'],
  ctx: ValidateContext,
): LoadResult {
  const yaml = parseYamlSource(text, file);
  const issues = new IssueList(yaml);
  if (yaml.errors.length) {
    for (const e of yaml.errors)
      issues.items.push({
        file,
        line: e.pos.line,
        col: e.pos.col,
        message: `YAML: ${e.message}`,
        hint: hintForYaml(e.message),
      });
    return { workflow: undefined, issues: issues.sorted() };
  }
  if (yaml.value === null || yaml.value === undefined) {
    issues.add(
      [],
      'the workflow file is empty',
      'a workflow has `name:`, optional `inputs:`, and `steps:` (see docs/workflows.md)',
    );
    return { workflow: undefined, issues: issues.sorted() };
  }
  if (typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    issues.add(
      [],
      'a workflow is a mapping with name, description, inputs and steps',
      'start the file with `name: <workflow>` and `steps:`',
    );
    return { workflow: undefined, issues: issues.sorted() };
  }
  const top = workflowSchema.safeParse(yaml.value);
  if (!top.success) issues.addZod([], top.error, workflowSchema, 'the workflow');
  const raw = yaml.value as { steps?: unknown; inputs?: unknown; name?: unknown; description?: unknown };
  const rawSteps = Array.isArray(raw.steps) ? raw.steps : [];
  const inputs: Record<string, InputDef> = top.success ? (top.data.inputs ?? {}) : {};
  const given = top.success ? top.data.name : undefined;
  // The specification names workflows in prose ("My Custom Workflow"); such a workflow is called by its file name.
  const callable = given !== undefined && WORKFLOW_NAME.test(given);
  const workflow: WorkflowDef = {
    name: callable ? given : basename(file, extname(file)),
    title: callable ? undefined : given,
    description: top.success ? (top.data.description ?? '') : '',
    inputs,
    steps: [],
    file,
    source,
  };
  const infos: StepInfo[] = rawSteps.map((rawStep, index) => {
    const path = ['steps', index];
    const { step, sound } = normalizeStep(rawStep, path, issues, file, `step-${index + 1}`);
    const handler = stepKind(step.kind);
    const outputs = sound ? handler?.outputs?.(step.spec, step) : undefined;
    return { step, index, sound, outputs, path };
  });
  workflow.steps = infos.map((i) => i.step);
  checkWorkflow(workflow, infos, issues, ctx, top.success && top.data.inputs !== undefined);
  return { workflow: issues.length ? undefined : workflow, issues: issues.sorted() };
}

export function readWorkflowFile(
  file: string,
  source: WorkflowDef['source'],
  ctx: ValidateContext,
): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AidevError(
      'WORKFLOW_INVALID',
      code === 'ENOENT' ? `no workflow file ${file}` : `cannot read ${file}: ${(error as Error).message}`,
      {
        hint:
          code === 'ENOENT'
            ? '`aidev workflow list` shows the workflows it can find'
            : 'check the file permissions',
      },
    );
  }
  return parseWorkflow(text, file, source, ctx);
}

/** Loads a file or throws WORKFLOW_INVALID (exit 2) with every problem listed. */
export function loadWorkflowFile(
  file: string,
  source: WorkflowDef['source'],
  ctx: ValidateContext,
): WorkflowDef {
  const result = readWorkflowFile(file, source, ctx);
  if (!result.workflow) throw workflowInvalid(file, result.issues);
  return result.workflow;
}

function hintForYaml(message: string): string | undefined {
  if (/tab/i.test(message)) return 'indent with spaces; YAML does not allow tabs';
  if (/duplicate|unique/i.test(message)) return 'a key may appear once per mapping';
  if (/indent/i.test(message)) return 'line up keys of the same mapping with spaces';
  return 'check quoting and indentation near this position';
}
