// Rollback after a failed or rejected run: the completed steps' compensations run in reverse order — the step's own
// `compensate:` step, else its kind's default (an action's compensate: restore the task status, close the PR…).
// Each one is recorded in the audit log and on the step row; one failing does not stop the others.
import { toAidevError } from '../errors.js';
import { evaluateExpression, truthy } from '../expressions/index.js';
import type { StepRow } from '../ledger/types.js';
import { resolveWith } from './resolve-inputs.js';
import { withRetry } from './retry.js';
import type { RunContext } from './run-context.js';
import { stepKind } from './step-kinds.js';
import type { StepDef } from './types.js';

export interface RollbackReport {
  compensated: string[];
  failed: { stepId: string; message: string }[];
}

export async function rollback(run: RunContext): Promise<RollbackReport> {
  const report: RollbackReport = { compensated: [], failed: [] };
  const rows = new Map(run.deps.ledger.listSteps(run.runId).map((r) => [r.stepId, r]));
  const steps = [...run.workflow.steps].reverse();
  for (const step of steps) {
    const row = rows.get(step.id);
    if (row?.status !== 'succeeded' || step.noCompensate) continue;
    const handler = stepKind(step.kind);
    if (!step.compensate && !handler?.compensate) continue;
    const stepId = `${step.id}.compensate`;
    const at = run.now();
    run.deps.emit({ type: 'step.progress', runId: run.runId, stepId: step.id, message: 'rolling back', at });
    try {
      await compensateOne(run, step, row, stepId);
      report.compensated.push(step.id);
      run.deps.ledger.saveStep(
        {
          runId: run.runId,
          stepId: step.id,
          seq: row.seq,
          kind: row.kind,
          status: 'compensated',
          attempt: row.attempt,
          startedAt: row.startedAt,
          finishedAt: row.finishedAt,
          durationMs: row.durationMs,
        },
        run.runPatch(),
      );
      run.deps.ledger.audit({
        runId: run.runId,
        stepId: step.id,
        at: run.now(),
        actor: 'aidev',
        action: 'compensate',
        decision: 'done',
        detail: { by: step.compensate ? 'compensate step' : `${step.kind} default` },
      });
      run.deps.emit({
        type: 'step.finished',
        runId: run.runId,
        stepId: step.id,
        status: 'compensated',
        durationMs: row.durationMs ?? 0,
        at: run.now(),
      });
    } catch (error) {
      const e = toAidevError(error);
      report.failed.push({ stepId: step.id, message: e.message });
      run.deps.ledger.audit({
        runId: run.runId,
        stepId: step.id,
        at: run.now(),
        actor: 'aidev',
        action: 'compensate',
        decision: 'failed',
        detail: { code: e.code, message: e.message },
      });
      run.deps.emit({
        type: 'log',
        level: 'warn',
        runId: run.runId,
        message: `rollback of step ${step.id} failed: ${e.message}`,
        at: run.now(),
      });
    }
  }
  run.engine.rolledBack = true;
  run.persistState();
  return report;
}

async function compensateOne(run: RunContext, step: StepDef, row: StepRow, stepId: string): Promise<void> {
  const ctx = run.stepContext(stepId, 1, run.deps.signal);
  const c = step.compensate;
  if (!c) {
    const handler = stepKind(step.kind)!;
    await handler.compensate!(
      step.spec,
      (row.inputs ?? {}) as Record<string, unknown>,
      (row.outputs ?? {}) as Record<string, unknown>,
      ctx,
    );
    return;
  }
  const handler = stepKind(c.kind);
  if (!handler) return;
  if (c.if !== undefined && !truthy(evaluateExpression(c.if, { scope: run.scope(), failed: true }))) return;
  const inputs = resolveWith(c.with, run.scope(), run.scopeState, stepId, run.failed) as Record<
    string,
    unknown
  >;
  await withRetry(c.onError === 'retry' ? c.retry : undefined, run.deps.signal, (n) =>
    handler.execute(c.spec, inputs, n === 1 ? ctx : run.stepContext(stepId, n, run.deps.signal)),
  );
}
