// The end of a run: its status and exit code from the failure (if any), the ledger row, the run.finished event, and the
// RunResult every reporter prints (with the command that continues a paused run).
import type { AidevError } from '../errors.js';
import { ExitCode } from '../errors.js';
import type { RunStatus } from '../events.js';
import type { RollbackReport } from './rollback.js';
import type { RunContext } from './run-context.js';
import type { RunResult, StepResult } from './types.js';

export function statusOf(failure: AidevError | undefined): RunStatus {
  if (!failure) return 'succeeded';
  switch (failure.code) {
    case 'INTERRUPTED':
      return 'interrupted';
    case 'APPROVAL_REQUIRED':
      return 'awaiting_approval';
    case 'BUDGET_EXCEEDED':
      return 'budget_exceeded';
    case 'REJECTED':
      return 'rejected';
    default:
      return 'failed';
  }
}

const EXIT: Record<RunStatus, number> = {
  succeeded: ExitCode.ok,
  failed: ExitCode.failure,
  budget_exceeded: ExitCode.budget,
  awaiting_approval: ExitCode.approvalRequired,
  rejected: ExitCode.rejected,
  interrupted: ExitCode.interrupted,
  running: ExitCode.failure,
};

export function finishRun(
  run: RunContext,
  status: RunStatus,
  failure: AidevError | undefined,
  startedAt: string,
  report: RollbackReport | undefined,
): RunResult {
  const { ledger, emit } = run.deps;
  const end = run.deps.runtime.clock.now();
  const durationMs = end.getTime() - new Date(startedAt).getTime();
  const terminal =
    status === 'succeeded' || status === 'rejected' || (status === 'failed' && report !== undefined);
  const next = nextHint(run.runId, status, report !== undefined);
  const error = failure ? { code: failure.code, message: failure.message, hint: failure.hint } : undefined;
  ledger.updateRun(run.runId, {
    ...run.runPatch(),
    status,
    error: error ?? null,
    finishedAt: terminal ? end.toISOString() : null,
    durationMs,
    result: { next: next ?? null, rollback: report ?? null },
  });
  const row = ledger.getRun(run.runId);
  const rows = ledger.listSteps(run.runId);
  const byId = new Map(rows.map((r) => [r.stepId, r]));
  const steps: StepResult[] = run.workflow.steps.map((s) => {
    const r = byId.get(s.id);
    return {
      id: s.id,
      kind: s.kind,
      status: r?.status ?? 'pending',
      attempt: r?.attempt ?? 0,
      durationMs: r?.durationMs ?? null,
      outputs: (r?.outputs ?? undefined) as Record<string, unknown> | undefined,
      error: r?.error ?? undefined,
    };
  });
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const s of steps)
    if (s.outputs && (s.status === 'succeeded' || s.status === 'compensated' || s.status === 'failed'))
      outputs[s.id] = s.outputs;
  const costUsd = row?.costUsd ?? 0;
  const tokens = row?.tokens ?? 0;
  emit({
    type: 'run.finished',
    runId: run.runId,
    status,
    durationMs,
    costUsd,
    tokens,
    error,
    at: end.toISOString(),
  });
  return {
    runId: run.runId,
    workflow: run.workflow.name,
    taskId: run.taskId,
    status,
    exitCode: EXIT[status],
    steps,
    outputs,
    costUsd,
    tokens,
    durationMs,
    error,
    next,
  };
}

function nextHint(runId: string, status: RunStatus, rolledBack: boolean): string | undefined {
  switch (status) {
    case 'awaiting_approval':
      return `aidev resume ${runId} --approve   (or --reject, or --feedback "…")`;
    case 'interrupted':
      return `aidev resume ${runId}`;
    case 'budget_exceeded':
      return `aidev resume ${runId} --max-cost <USD>`;
    case 'failed':
      return rolledBack ? undefined : `aidev resume ${runId}   (after fixing the cause)`;
    default:
      return undefined;
  }
}
