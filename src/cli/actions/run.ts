// CLI adapter for `aidev run <ID…>`: decides the approver and the event rendering once, runs, prints the result.
import { autoApprover, nonInteractiveApprover, type Approver } from '../../core/approvals.js';
import type { RunEvent } from '../../core/events.js';
import { formatPlan } from '../../commands/run-plan.js';
import { runRun, type RunCommandResult, type RunSummary } from '../../commands/run.js';
import type { CliContext } from '../context.js';
import { duration, usd } from '../format.js';

/** Progress on stderr, one line per event (stdout is kept for the result). */
export function textProgress(ctx: CliContext): (event: RunEvent) => void {
  const write = (line: string): void => void ctx.io.stderr.write(`${line}\n`);
  return (event) => {
    if (ctx.global.quiet) return;
    if (ctx.output === 'stream-json') {
      ctx.io.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (ctx.output !== 'text') return;
    switch (event.type) {
      case 'run.started':
        write(`run ${event.runId}: ${event.workflow}${event.taskId ? ` for ${event.taskId}` : ''}`);
        break;
      case 'step.started':
        write(`▶ ${event.stepId}`);
        break;
      case 'step.progress':
        if (event.stream !== 'model' || ctx.global.verbose) write(`  ${event.message.trimEnd()}`);
        break;
      case 'step.finished':
        write(
          `${event.status === 'succeeded' ? '✔' : event.status === 'skipped' ? '–' : '✖'} ${event.stepId} (${duration(event.durationMs)})${event.error ? `: ${event.error.message.split('\n')[0]}` : ''}`,
        );
        break;
      case 'approval.requested':
        write(`? ${event.message}`);
        break;
      case 'log':
        if (event.level !== 'debug' || ctx.global.verbose)
          write(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
        break;
      default:
        break;
    }
  };
}

export function approverFor(ctx: CliContext, yes: boolean): Approver {
  if (yes) return autoApprover;
  return nonInteractiveApprover;
}

export function formatRun(run: RunSummary): string {
  const lines = [
    `${run.taskId}: ${run.status} (run ${run.runId}, ${duration(run.durationMs)}, ${usd(run.costUsd)})`,
  ];
  if (run.branch) lines.push(`  branch: ${run.branch}${run.commit ? ` @ ${run.commit.slice(0, 10)}` : ''}`);
  if (run.prUrl) lines.push(`  pull request: ${run.prUrl}`);
  if (run.checks) lines.push(...run.checks.split('\n').map((l) => `  checks: ${l}`));
  if (run.error) {
    lines.push(`  error: ${run.error.message}`);
    if (run.error.hint) lines.push(`  hint: ${run.error.hint}`);
  }
  if (run.worktreeKept && run.worktree) lines.push(`  worktree kept: ${run.worktree}`);
  if (run.next) lines.push(`  next: ${run.next}`);
  return lines.join('\n');
}

export function formatRunResult(result: RunCommandResult): string {
  if (result.kind === 'plan') return formatPlan(result.plan);
  const lines = result.runs.map(formatRun);
  if (result.runs.length > 1) lines.push(`total cost: ${usd(result.costUsd)}`);
  return lines.join('\n\n');
}

/** --json: one run prints that run's object; several print {runs, costUsd}. */
export function jsonOf(result: RunCommandResult): unknown {
  if (result.kind === 'plan') return result.plan;
  return result.runs.length === 1 ? result.runs[0] : { runs: result.runs, costUsd: result.costUsd };
}

export async function runAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const yes = Boolean(opts.yes ?? ctx.global.yes);
    const result = await runRun({
      ...ctx.global,
      ids: args,
      workflow: opts.workflow as string | undefined,
      dryRun: opts.dryRun as boolean | undefined,
      estimate: opts.estimate as boolean | undefined,
      parallel: opts.parallel as number | undefined,
      fakeResponses: opts.fakeResponses as string | undefined,
      approver: approverFor(ctx, yes),
      emit: textProgress(ctx),
      signal: controller.signal,
    });
    ctx.print(jsonOf(result), () => formatRunResult(result));
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
