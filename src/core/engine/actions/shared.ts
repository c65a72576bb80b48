// Small helpers the provider actions share: the run's task id, the step's cancellation options, effect results.
import type { StepContext } from '../types.js';
import { AidevError } from '../../errors.js';

/** `with.id`, else the task the run is about (`aidev run <ID>`, `--input task_id=…`, or an earlier tasks.get). */
export function taskIdOf(
  input: { id?: string | undefined; task_id?: string | undefined },
  ctx: StepContext,
): string {
  const scope = ctx.scope();
  const run = scope.run as { task_id?: unknown } | undefined;
  const id =
    input.id ??
    input.task_id ??
    ctx.task()?.id ??
    (typeof run?.task_id === 'string' ? run.task_id : undefined);
  if (!id) {
    throw new AidevError('STEP_FAILED', `step ${ctx.stepId}: no task id`, {
      hint: 'pass `with: {id: ${inputs.task_id}}`, or run the workflow with --input task_id=<ID>',
    });
  }
  return id;
}

export function signalOf(ctx: StepContext): { signal: AbortSignal } {
  return { signal: ctx.signal };
}
