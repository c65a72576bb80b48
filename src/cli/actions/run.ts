// CLI adapter for `aidev run <ID…>`: a plan prints directly; runs go through run-ui (reporter, approver and Ctrl-C
// decided once), and in text mode the branch, pull request and kept worktree of each run follow the summary.
import { formatPlan } from '../../commands/run-plan.js';
import { runRun, type RunCommandResult, type RunSummary } from '../../commands/run.js';
import type { CliContext } from '../context.js';
import { executeWithUi } from '../run-ui.js';

export function formatRunDetails(run: RunSummary): string {
  const lines = [`${run.taskId}: ${run.status} (run ${run.runId})`];
  if (run.branch) lines.push(`  branch: ${run.branch}${run.commit ? ` @ ${run.commit.slice(0, 10)}` : ''}`);
  if (run.prUrl) lines.push(`  pull request: ${run.prUrl}`);
  if (run.setup)
    lines.push(
      `  setup: ${(run.setup.durationMs / 1000).toFixed(1)} s${run.setup.reused ? ` (${run.setup.reused})` : ''}`,
    );
  // "checks scoped to packages/api (…)" reads "checks: scoped to packages/api (…)" under its label.
  const label = (name: string, text: string): string[] =>
    text.split('\n').map((l) => `  ${name}: ${l.replace(/^checks (?=scoped to )/, '')}`);
  if (run.baseline) lines.push(...label('before', run.baseline));
  if (run.checks) lines.push(...label('checks', run.checks));
  if (run.worktreeKept && run.worktree) lines.push(`  worktree kept: ${run.worktree}`);
  if (run.next) lines.push(`  next: ${run.next}`);
  return lines.join('\n');
}

export async function runAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const options = {
    ...ctx.global,
    ids: args,
    workflow: opts.workflow as string | undefined,
    dryRun: opts.dryRun as boolean | undefined,
    estimate: opts.estimate as boolean | undefined,
    parallel: opts.parallel as number | undefined,
    fakeResponses: opts.fakeResponses as string | undefined,
    // commander turns --no-baseline into baseline: false
    noBaseline: opts.baseline === false,
  };
  if (options.dryRun || options.estimate) {
    // A plan needs no reporter, approver or signal: nothing runs.
    const planned = await runRun(options, {
      approver: { kind: 'noninteractive', request: () => Promise.resolve({ decision: 'pause' }) },
    });
    if (planned.kind === 'plan') ctx.print(planned.plan, () => formatPlan(planned.plan));
    return planned.exitCode;
  }
  let done: RunCommandResult | undefined;
  // Several tasks on a TTY share one combined view (gates answered in it one at a time); elsewhere one line per event.
  const code = await executeWithUi(
    ctx,
    async (bus, approver, signal, ui) => {
      done = await runRun(
        { ...options, logger: ui.logger },
        { approver, emit: bus.emit, signal, onBatch: ui.batch, onSettled: ui.settled },
      );
      if (done.kind !== 'runs') throw new Error('unreachable: a run returned a plan');
      return done.result;
    },
    { runs: new Set(args).size },
  );
  if (done?.kind === 'runs' && ctx.output === 'text' && !ctx.global.quiet) {
    ctx.io.stdout.write(done.runs.map(formatRunDetails).join('\n') + '\n');
  }
  return code;
}
