// Runs one step: its `if:`, its resolved inputs, attempts under the retry policy and timeout, and the checkpoints
// (start with inputs, end with outputs) that the ledger holds before the next step begins.
import { AidevError, toAidevError } from '../errors.js';
import type { StepStatus } from '../events.js';
import { evaluateExpression, ExpressionError, truthy } from '../expressions/index.js';
import { assertJsonSafe } from './json-safe.js';
import { resolveWith } from './resolve-inputs.js';
import { withRetry } from './retry.js';
import type { RunContext } from './run-context.js';
import { recordStep } from './scope.js';
import { stepKind } from './step-kinds.js';
import type { StepDef, StepKindHandler } from './types.js';

export type StepOutcome =
  | { type: 'skipped' }
  | { type: 'succeeded'; outputs: Record<string, unknown>; goto?: string | undefined }
  | { type: 'continued'; error: AidevError };

export async function runStep(
  run: RunContext,
  step: StepDef,
  seq: number,
  onSucceeded?: (step: StepDef, outputs: Record<string, unknown>, goto: string | undefined) => void,
): Promise<StepOutcome> {
  const { ledger, emit } = run.deps;
  const handler = stepKind(step.kind);
  if (!handler) throw new AidevError('WORKFLOW_INVALID', `step ${step.id}: unknown step kind "${step.kind}"`);
  const startedAt = run.now();
  const t0 = run.deps.runtime.clock.now().getTime();
  const elapsed = () => run.deps.runtime.clock.now().getTime() - t0;
  const finish = (
    status: StepStatus,
    fields: { outputs?: unknown; error?: { code: string; message: string } | null; attempt?: number },
  ) => {
    ledger.saveStep(
      {
        runId: run.runId,
        stepId: step.id,
        seq,
        kind: step.kind,
        status,
        attempt: fields.attempt ?? 1,
        outputs: fields.outputs,
        error: fields.error ?? null,
        startedAt,
        finishedAt: run.now(),
        durationMs: elapsed(),
      },
      run.runPatch(),
    );
    emit({
      type: 'step.finished',
      runId: run.runId,
      stepId: step.id,
      status,
      durationMs: elapsed(),
      error: fields.error ?? undefined,
      at: run.now(),
    });
  };

  let inputs: Record<string, unknown>;
  try {
    if (
      step.if !== undefined &&
      !truthy(evaluateExpression(step.if, { scope: run.scope(), failed: run.failed }))
    ) {
      finish('skipped', {});
      recordStep(run.scopeState, step, 'skipped', undefined);
      return { type: 'skipped' };
    }
    inputs = resolveWith(step.with, run.scope(), run.scopeState, step.id, run.failed) as Record<
      string,
      unknown
    >;
  } catch (error) {
    const e =
      error instanceof ExpressionError
        ? new AidevError('STEP_FAILED', `step ${step.id}: if: ${error.message}`, { hint: error.hint })
        : toAidevError(error, 'STEP_FAILED');
    return failed(run, step, e, 1, finish);
  }

  let attempt = 0;
  try {
    const outputs = await withRetry(
      step.onError === 'retry' ? step.retry : undefined,
      run.deps.signal,
      async (n) => {
        attempt = n;
        // The run state cannot have changed since the last step's end checkpoint, so the start writes the step row only.
        ledger.saveStep({
          runId: run.runId,
          stepId: step.id,
          seq,
          kind: step.kind,
          status: 'running',
          attempt: n,
          inputs,
          startedAt,
        });
        emit({
          type: 'step.started',
          runId: run.runId,
          stepId: step.id,
          kind: step.kind,
          attempt: n,
          at: run.now(),
        });
        const out = await attempt1(run, step, handler, inputs, n);
        assertJsonSafe(out, step.id);
        return out;
      },
      (error, n, delay) =>
        run.deps.emit({
          type: 'step.progress',
          runId: run.runId,
          stepId: step.id,
          message: `attempt ${n} failed (${error.message}); retrying in ${delay} ms`,
          at: run.now(),
        }),
    );
    const clean = JSON.parse(JSON.stringify(outputs)) as Record<string, unknown>;
    const goto = handler.next?.(step.spec, clean)?.goto;
    recordStep(run.scopeState, step, 'success', clean);
    // What the step decides for the run (feedback, a loop back) goes into the run state before the end checkpoint,
    // so the checkpoint that records the step also records its consequences.
    onSucceeded?.(step, clean, goto);
    finish('succeeded', { outputs: clean, attempt });
    return { type: 'succeeded', outputs: clean, goto };
  } catch (error) {
    return failed(run, step, toAidevError(error, 'STEP_FAILED'), Math.max(attempt, 1), finish);
  }
}

/** One attempt, bounded by the step timeout and the run's abort signal, even if the step ignores its signal. */
async function attempt1(
  run: RunContext,
  step: StepDef,
  handler: StepKindHandler,
  inputs: Record<string, unknown>,
  n: number,
): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const runSignal = run.deps.signal;
  const onAbort = () => controller.abort(new AidevError('INTERRUPTED', `interrupted during step ${step.id}`));
  if (runSignal.aborted) onAbort();
  runSignal.addEventListener('abort', onAbort, { once: true });
  const timeoutMs = step.timeout ?? handler.defaultTimeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          controller.abort(
            new AidevError(
              'TIMEOUT',
              `step ${step.id} took longer than its timeout of ${formatMs(timeoutMs)}`,
              { hint: 'raise `timeout:` on the step, or make the work smaller' },
            ),
          );
        }, timeoutMs);
  try {
    const ctx = run.stepContext(step.id, n, controller.signal);
    const work = handler.execute(step.spec, inputs, ctx);
    // A step that ignores its signal must not hold the run: stop waiting, and swallow its late failure.
    work.catch(() => undefined);
    return await Promise.race([work, aborted(controller.signal)]);
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof AidevError)
      throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onAbort);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** Codes that stop the run whatever on_error says, and how the step row is left so resume picks it up again. */
const STOPS: Record<string, StepStatus> = {
  INTERRUPTED: 'pending',
  BUDGET_EXCEEDED: 'pending',
  APPROVAL_REQUIRED: 'awaiting_approval',
  REJECTED: 'failed',
};

function failed(
  run: RunContext,
  step: StepDef,
  error: AidevError,
  attempt: number,
  finish: (
    status: StepStatus,
    fields: { outputs?: unknown; error?: { code: string; message: string } | null; attempt?: number },
  ) => void,
): StepOutcome {
  const stop = STOPS[error.code];
  const row = { code: error.code, message: error.message };
  if (stop) {
    finish(stop, { error: row, attempt });
    throw error;
  }
  const outputs = error.details?.outputs as Record<string, unknown> | undefined;
  if (step.onError === 'continue') {
    run.failed = true;
    recordStep(run.scopeState, step, 'failure', outputs);
    finish('failed', { error: row, outputs, attempt });
    return { type: 'continued', error };
  }
  finish('failed', { error: row, outputs, attempt });
  throw error;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
