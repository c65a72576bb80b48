// Rebuilds a run's position for `resume`: which steps are done (their outputs back in scope), where to continue, and
// whether the run can be resumed at all.
import { AidevError } from '../errors.js';
import type { Ledger, RunRow, StepRow } from '../ledger/types.js';
import type { EngineDeps, EngineState } from './run-context.js';
import type { Outcome } from './scope.js';
import type { StepDef, StepResult, WorkflowDef } from './types.js';

export interface Restored {
  done: { step: StepDef; outcome: Outcome; outputs: Record<string, unknown> | undefined }[];
  replay: StepResult[];
  next: number;
  failed: boolean;
}

const RESUMABLE = new Set(['interrupted', 'awaiting_approval', 'budget_exceeded', 'running', 'failed']);

export function restoreRun(deps: EngineDeps & { workflow: WorkflowDef }, run: RunRow): Restored {
  const { workflow } = deps;
  const engine = run.state.engine as EngineState | undefined;
  if (!RESUMABLE.has(run.status) || (run.status === 'failed' && engine?.rolledBack)) {
    const why = run.status === 'failed' ? 'failed and was rolled back' : `is ${run.status}`;
    throw new AidevError('USAGE', `run ${run.id} ${why}; there is nothing to resume`, {
      hint:
        run.status === 'succeeded'
          ? 'it finished'
          : 'start a new run (use --no-rollback to keep a failed run resumable)',
    });
  }
  const rows = new Map<string, StepRow>(deps.ledger.listSteps(run.id).map((r) => [r.stepId, r]));
  for (const id of rows.keys()) {
    if (!id.endsWith('.compensate') && !workflow.steps.some((s) => s.id === id)) {
      throw new AidevError(
        'USAGE',
        `run ${run.id} has a step "${id}" that workflow ${workflow.name} (${workflow.file}) no longer has`,
        {
          hint: 'the workflow file changed since the run started; restore it, or start a new run',
        },
      );
    }
  }
  const restored: Restored = { done: [], replay: [], next: workflow.steps.length, failed: false };
  // An approval sent the run back and the process died before the loop's steps were reset: reset them now.
  if (engine?.loop) {
    resetLoop(deps.ledger, run.id, workflow, engine.loop.from, engine.loop.to);
    for (const id of rowsToReset(workflow, engine.loop.from, engine.loop.to)) {
      const row = rows.get(id);
      if (row) rows.set(id, { ...row, status: 'pending' });
    }
    delete engine.loop;
  }
  let foundNext = false;
  workflow.steps.forEach((step, index) => {
    if (foundNext) return;
    const row = rows.get(step.id);
    const finished =
      row &&
      (row.status === 'succeeded' ||
        row.status === 'skipped' ||
        (row.status === 'failed' && step.onError === 'continue'));
    if (!finished) {
      restored.next = index;
      foundNext = true;
      return;
    }
    const outcome: Outcome =
      row.status === 'succeeded' ? 'success' : row.status === 'skipped' ? 'skipped' : 'failure';
    if (outcome === 'failure') restored.failed = true;
    restored.done.push({
      step,
      outcome,
      outputs: (row.outputs ?? undefined) as Record<string, unknown> | undefined,
    });
    restored.replay.push({
      id: step.id,
      kind: step.kind,
      status: row.status,
      attempt: row.attempt,
      durationMs: row.durationMs,
      error: row.error ?? undefined,
    });
  });
  return restored;
}

function rowsToReset(workflow: WorkflowDef, from: string, to: string): string[] {
  const ids = workflow.steps.map((s) => s.id);
  return ids.slice(ids.indexOf(from), ids.indexOf(to) + 1);
}

/** Marks the steps of an approval loop (retry_step through the gate) pending again, so they run once more. */
export function resetLoop(
  ledger: Ledger,
  runId: string,
  workflow: WorkflowDef,
  from: string,
  to: string,
): void {
  for (const id of rowsToReset(workflow, from, to)) {
    const seq = workflow.steps.findIndex((s) => s.id === id);
    ledger.saveStep({ runId, stepId: id, seq, kind: workflow.steps[seq]!.kind, status: 'pending' });
  }
}
