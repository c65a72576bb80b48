// Runs a workflow durably: creates (or reloads) the run, executes steps in order with a checkpoint per step, follows
// approval loops, maps the ending to a run status and exit code, and rolls back on failure unless told not to.
import { basename } from 'node:path';
import { AidevError, toAidevError } from '../errors.js';
import type { RunRow } from '../ledger/types.js';
import { finishRun, statusOf } from './finish.js';
import { rollback, type RollbackReport } from './rollback.js';
import { RunContext, type EngineDeps, type EngineState } from './run-context.js';
import { redactedConfig, recordStep, forgetStep, type ScopeState } from './scope.js';
import { runStep } from './step-runner.js';
import type { RunResult, RunState, StepDef, StepResult, WorkflowDef } from './types.js';
import { resetLoop, restoreRun } from './restore.js';

export interface StartOptions extends EngineDeps {
  workflow: WorkflowDef;
  inputs: Record<string, unknown>;
  taskId?: string | undefined;
  maxCostUsd?: number | undefined;
  maxTokens?: number | undefined;
}

export interface ResumeOptions extends EngineDeps {
  workflow: WorkflowDef;
  run: RunRow;
}

export async function startRun(options: StartOptions): Promise<RunResult> {
  const { workflow, runtime, ledger } = options;
  const inputs = checkInputs(workflow, options.inputs);
  const runId = runtime.newId('r');
  const taskId = options.taskId ?? (typeof inputs.task_id === 'string' ? inputs.task_id : null);
  const startedAt = runtime.clock.now().toISOString();
  const engine: EngineState = { pass: {}, feedback: null, owner: options.owner };
  const state: RunState = { engine };
  ledger.createRun({
    id: runId,
    workflow: workflow.name,
    workflowFile: workflow.file,
    taskId,
    status: 'running',
    repo: options.repoRoot,
    inputs,
    state,
    maxCostUsd: options.maxCostUsd ?? options.config.cost.max_cost_per_task,
    maxTokens: options.maxTokens ?? options.config.cost.max_tokens_per_task,
    startedAt,
  });
  const run = new RunContext(
    options,
    workflow,
    runId,
    taskId,
    scopeState(options, workflow, runId, taskId, startedAt, inputs),
    state,
  );
  return execute(run, 0, startedAt);
}

export async function resumeRun(options: ResumeOptions): Promise<RunResult> {
  const { workflow, run: row } = options;
  const restored = restoreRun(options, row);
  const state = row.state;
  const engine = (state.engine ?? { pass: {}, feedback: null }) as EngineState;
  engine.owner = options.owner;
  state.engine = engine;
  const run = new RunContext(
    options,
    workflow,
    row.id,
    row.taskId,
    scopeState(options, workflow, row.id, row.taskId, row.startedAt, row.inputs),
    state,
  );
  for (const done of restored.done) recordStep(run.scopeState, done.step, done.outcome, done.outputs);
  run.failed = restored.failed;
  options.ledger.updateRun(row.id, { status: 'running', error: null, finishedAt: null, ...run.runPatch() });
  options.ledger.audit({
    runId: row.id,
    stepId: null,
    at: run.now(),
    actor: 'aidev',
    action: 'resume',
    decision: 'resumed',
    detail: { from: workflow.steps[restored.next]?.id ?? null, previous: row.status },
  });
  return execute(run, restored.next, row.startedAt, restored.replay);
}

async function execute(
  run: RunContext,
  from: number,
  startedAt: string,
  replay: StepResult[] = [],
): Promise<RunResult> {
  const { emit } = run.deps;
  const steps = run.workflow.steps;
  emit({
    type: 'run.started',
    runId: run.runId,
    workflow: run.workflow.name,
    taskId: run.taskId ?? undefined,
    steps: steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title ?? stepLabel(s) })),
    at: run.now(),
  });
  // Steps finished before a resume are reported once, so reporters show them done.
  for (const r of replay)
    emit({
      type: 'step.finished',
      runId: run.runId,
      stepId: r.id,
      status: r.status,
      durationMs: r.durationMs ?? 0,
      error: r.error,
      at: run.now(),
    });

  let failure: AidevError | undefined;
  let report: RollbackReport | undefined;
  try {
    let i = from;
    while (i < steps.length) {
      if (run.deps.signal.aborted)
        throw new AidevError('INTERRUPTED', `interrupted before step ${steps[i]!.id}`);
      const step = steps[i]!;
      const outcome = await runStep(run, step, i, (done, outputs, goto) =>
        settle(run, done, i, outputs, goto),
      );
      if (outcome.type === 'succeeded' && outcome.goto !== undefined) {
        i = loopBack(run, outcome.goto, i);
        continue;
      }
      i++;
    }
  } catch (error) {
    failure = toAidevError(error, 'STEP_FAILED');
  }
  const status = statusOf(failure);
  if (failure && (status === 'failed' || status === 'rejected') && run.deps.rollback !== false)
    report = await rollback(run);
  return finishRun(run, status, failure, startedAt, report);
}

/**
 * Run state a finished step changes, saved with its own end checkpoint: an approval's feedback, and for a loop back the
 * next pass of each step in the loop plus the pending `loop`, so a crash right after the gate still goes back.
 */
function settle(
  run: RunContext,
  step: StepDef,
  at: number,
  outputs: Record<string, unknown>,
  goto: string | undefined,
): void {
  if (step.kind === 'approval')
    run.setFeedback(typeof outputs.feedback === 'string' ? outputs.feedback : null);
  if (goto === undefined) return;
  const steps = run.workflow.steps;
  for (let j = steps.findIndex((s) => s.id === goto); j <= at; j++) {
    const id = steps[j]!.id;
    run.engine.pass[id] = (run.engine.pass[id] ?? 1) + 1;
  }
  run.engine.loop = { from: goto, to: step.id };
}

/** Feedback at an approval: the steps from retry_step to the gate run again (their passes were bumped by settle). */
function loopBack(run: RunContext, target: string, at: number): number {
  const steps = run.workflow.steps;
  const to = steps.findIndex((s) => s.id === target);
  for (let j = to; j <= at; j++) forgetStep(run.scopeState, steps[j]!);
  resetLoop(run.deps.ledger, run.runId, run.workflow, target, steps[at]!.id);
  delete run.engine.loop;
  run.persistState();
  run.deps.emit({
    type: 'log',
    level: 'info',
    runId: run.runId,
    message: `feedback: going back to step ${target}`,
    at: run.now(),
  });
  return to;
}

/** A short label for a step without a title: the action, the prompt, the command or the gate's question. */
function stepLabel(step: StepDef): string {
  const spec = step.spec;
  if (typeof spec === 'string')
    return `${step.kind === 'run' ? '$ ' : ''}${spec.split('\n')[0]!.slice(0, 60)}`;
  const o = (spec ?? {}) as { prompt?: unknown; message?: unknown };
  const main = typeof o.prompt === 'string' ? o.prompt : typeof o.message === 'string' ? o.message : '';
  return main ? `${step.kind}: ${main}` : step.kind;
}

function scopeState(
  options: EngineDeps,
  workflow: WorkflowDef,
  runId: string,
  taskId: string | null,
  startedAt: string,
  inputs: Record<string, unknown>,
): ScopeState {
  return {
    workflow,
    inputs,
    run: {
      id: runId,
      workflow: workflow.name,
      task_id: taskId,
      started_at: startedAt,
      repo: basename(options.repoRoot),
    },
    config: redactedConfig(options.config, options.secretPaths ?? new Set()),
    steps: {},
    aliases: {},
    task: undefined,
    feedback: null,
  };
}

/** Required inputs are present, defaults filled, unknown names refused (with the known ones). */
export function checkInputs(workflow: WorkflowDef, given: Record<string, unknown>): Record<string, unknown> {
  const declared = workflow.inputs;
  const names = Object.keys(declared);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (names.length && !declared[name]) {
      throw new AidevError('USAGE', `workflow ${workflow.name} has no input "${name}"`, {
        hint: `its inputs: ${names.join(', ')}`,
      });
    }
    out[name] = value;
  }
  const missing: string[] = [];
  for (const [name, def] of Object.entries(declared)) {
    if (out[name] === undefined && def.default !== undefined) out[name] = def.default;
    if (out[name] === undefined && def.required) missing.push(name);
  }
  if (missing.length) {
    throw new AidevError(
      'USAGE',
      `workflow ${workflow.name} needs ${missing.map((m) => `--input ${m}=…`).join(' ')}`,
      {
        hint: missing.map((m) => `${m}: ${declared[m]!.description ?? '(no description)'}`).join('; '),
      },
    );
  }
  return out;
}
