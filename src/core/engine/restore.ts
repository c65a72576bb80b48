// Rebuilds a run's position for `resume`: which steps are done (their outputs back in scope), where to continue, and
// whether the run can be resumed at all.
import { AidevError } from '../errors.js';
import type { RunRow, StepRow } from '../ledger/types.js';
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
  let foundNext = false;
  workflow.steps.forEach((step, index) => {
    const row = rows.get(step.id);
    const finished =
      row &&
      (row.status === 'succeeded' ||
        row.status === 'skipped' ||
        (row.status === 'failed' && step.onError === 'continue'));
    if (!foundNext && finished) {
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
      return;
    }
    if (!foundNext) {
      restored.next = index;
      foundNext = true;
    }
  });
  return restored;
}
