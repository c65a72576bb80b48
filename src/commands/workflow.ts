// `aidev workflow list|show|validate|run`: the workflows this repository can use, their steps, their problems, and a run.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { createPromptSource } from '../core/ai/prompts.js';
import { findRepoRoot } from '../core/config/load.js';
import { startRun } from '../core/engine/executor.js';
import { formatIssue, type WorkflowIssue } from '../core/engine/issues.js';
import { loadWorkflowFile, readWorkflowFile } from '../core/engine/loader.js';
import { listWorkflows, resolveWorkflow, type WorkflowEntry } from '../core/engine/lookup.js';
import { toNativeWorkflow, type NativeWorkflow } from '../core/engine/to-native.js';
import type { RunResult, ValidateContext, WorkflowDef } from '../core/engine/types.js';
import { engineDeps, type RunHooks } from '../core/engine/wire.js';
import { AidevError } from '../core/errors.js';
import { openSession, type GlobalOptions } from '../core/session.js';

export interface WorkflowSummary extends WorkflowEntry {
  description: string;
  steps: number;
  valid: boolean;
  problems: number;
}

function validateContext(repoRoot: string): ValidateContext {
  const prompts = createPromptSource(repoRoot);
  return { repoRoot, config: undefined, promptExists: (name) => prompts.exists(name) };
}

export async function runWorkflowList(options: GlobalOptions): Promise<{ workflows: WorkflowSummary[] }> {
  const session = await openSession(options);
  try {
    const { repoRoot, config } = session.loaded;
    const ctx = validateContext(repoRoot);
    const workflows = listWorkflows({ repoRoot, paths: config.workflows.paths }).map((entry) => {
      const loaded = readWorkflowFile(entry.file, entry.source, ctx);
      return {
        ...entry,
        description: loaded.workflow?.description ?? '',
        steps: loaded.workflow?.steps.length ?? 0,
        valid: loaded.workflow !== undefined,
        problems: loaded.issues.length,
      };
    });
    return { workflows };
  } finally {
    session.close();
  }
}

export interface StepSummary {
  id: string;
  kind: string;
  /** What the step does: the action, the prompt, the command or the gate's message. */
  does: string;
  title?: string | undefined;
  if?: string | undefined;
  onError: string;
  retry?: { maxAttempts: number } | undefined;
  timeoutMs?: number | undefined;
  compensate?: string | undefined;
  readAs?: string | undefined;
}

export function summarizeSteps(workflow: WorkflowDef): StepSummary[] {
  return workflow.steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    does: describeSpec(s.kind, s.spec),
    title: s.title,
    if: s.if,
    onError: s.onError,
    retry: s.retry ? { maxAttempts: s.retry.maxAttempts } : undefined,
    timeoutMs: s.timeout,
    compensate: s.noCompensate
      ? 'none'
      : s.compensate
        ? `${s.compensate.kind}: ${describeSpec(s.compensate.kind, s.compensate.spec)}`
        : undefined,
    readAs: s.compat,
  }));
}

function describeSpec(kind: string, spec: unknown): string {
  if (typeof spec === 'string') return spec.split('\n')[0]!;
  if (spec && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    const main = o.prompt ?? o.message;
    if (typeof main === 'string') return main;
  }
  return kind;
}

export interface WorkflowShowResult {
  name: string;
  title?: string | undefined;
  description: string;
  file: string;
  source: WorkflowDef['source'];
  inputs: WorkflowDef['inputs'];
  steps: StepSummary[];
  /** With `native`: the file written in the native form. */
  native?: NativeWorkflow | undefined;
}

export async function runWorkflowShow(
  options: GlobalOptions & { name: string; native?: boolean | undefined },
): Promise<WorkflowShowResult> {
  const session = await openSession(options);
  try {
    const { repoRoot, config } = session.loaded;
    const entry = resolveWorkflow(options.name, {
      repoRoot,
      paths: config.workflows.paths,
      cwd: options.cwd,
    });
    const workflow = loadWorkflowFile(entry.file, entry.source, validateContext(repoRoot));
    return {
      name: workflow.name,
      title: workflow.title,
      description: workflow.description,
      file: workflow.file,
      source: workflow.source,
      inputs: workflow.inputs,
      steps: summarizeSteps(workflow),
      // Only a file that loaded cleanly is rewritten, so the native text reads as the same workflow.
      native: options.native ? toNativeWorkflow(readFileSync(entry.file, 'utf8'), entry.file) : undefined,
    };
  } finally {
    session.close();
  }
}

export interface WorkflowValidateResult {
  file: string;
  valid: boolean;
  issues: WorkflowIssue[];
  steps: StepSummary[];
}

/** Needs no config: a broken config must not hide the workflow's own problems. */
export function runWorkflowValidate(
  options: Pick<GlobalOptions, 'cwd'> & { file: string },
): Promise<WorkflowValidateResult> {
  const file = resolve(options.cwd, options.file);
  const repoRoot = findRepoRoot(options.cwd) ?? resolve(options.cwd);
  const result = readWorkflowFile(file, 'file', validateContext(repoRoot));
  return Promise.resolve({
    file,
    valid: result.workflow !== undefined,
    issues: result.issues,
    steps: result.workflow ? summarizeSteps(result.workflow) : [],
  });
}

export function formatValidation(result: WorkflowValidateResult): string {
  if (!result.valid) return result.issues.map(formatIssue).join('\n');
  const notes = result.steps.filter((s) => s.readAs).map((s) => `  step ${s.id}: read as ${s.readAs}`);
  return [`${result.file}: valid (${result.steps.length} steps)`, ...notes].join('\n');
}

export interface WorkflowRunOptions extends GlobalOptions {
  target: string;
  /** `--input k=v`, already split. */
  inputs: Record<string, string>;
  rollback?: boolean | undefined;
}

export async function runWorkflowRun(options: WorkflowRunOptions, hooks: RunHooks): Promise<RunResult> {
  const session = await openSession(options);
  try {
    const { repoRoot, config } = session.loaded;
    const entry = resolveWorkflow(options.target, {
      repoRoot,
      paths: config.workflows.paths,
      cwd: options.cwd,
    });
    const workflow = loadWorkflowFile(entry.file, entry.source, validateContext(repoRoot));
    const deps = engineDeps(session, {
      ...hooks,
      rollback: options.rollback ?? hooks.rollback,
      owner: hooks.owner ?? `${hostname()}:${process.pid}`,
    });
    return await startRun({ ...deps, workflow, inputs: typedInputs(workflow, options.inputs) });
  } finally {
    session.close();
  }
}

/** `--input n=3` for an input declared `type: number` becomes 3; booleans likewise. */
function typedInputs(workflow: WorkflowDef, raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const type = workflow.inputs[name]?.type;
    if (type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n))
        throw new AidevError('USAGE', `--input ${name} must be a number, got "${value}"`);
      out[name] = n;
    } else if (type === 'boolean') {
      if (!['true', 'false'].includes(value))
        throw new AidevError('USAGE', `--input ${name} must be true or false, got "${value}"`);
      out[name] = value === 'true';
    } else out[name] = value;
  }
  return out;
}

/** `k=v` pairs from repeated --input flags. */
export function parseInputs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new AidevError('USAGE', `--input expects name=value, got "${pair}"`, {
        hint: 'e.g. --input task_id=TASK-12',
      });
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
