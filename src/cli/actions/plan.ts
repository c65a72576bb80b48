// CLI adapter for `aidev plan`: decides the approver (--yes, the Ink review on a terminal, else pause with exit 4),
// the progress rendering and Ctrl-C once, runs the command, and prints the plan result (--json: the plan and the
// key → id mapping; stream-json: the events, then the result as the last line).
import { autoApprover, nonInteractiveApprover, type Approver } from '../../core/approvals.js';
import { EventBus } from '../../core/events.js';
import { planText } from '../../core/plan/markdown.js';
import type { PlanResult } from '../../core/plan/result.js';
import type { PlanEstimate } from '../../core/plan/estimate.js';
import { runPlan, type PlanCommandResult } from '../../commands/plan.js';
import { createReporter, type Reporter } from '../../reporters/index.js';
import type { CliContext } from '../context.js';
import { usd } from '../format.js';
import { reporterKind } from '../run-ui.js';

export async function planAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const yes = Boolean(opts.yes ?? ctx.global.yes);
  const estimateOnly = Boolean(opts.estimate);
  const reporter = await createReporter(estimateOnly ? 'json' : reporterKind(ctx), {
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
    color: ctx.color,
    verbose: ctx.global.verbose,
  });
  const bus = new EventBus();
  if (!ctx.global.quiet || ctx.output === 'stream-json') bus.on((event) => reporter.onEvent(event));
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) controller.abort();
    else ctx.io.exit(130);
  };
  process.on('SIGINT', onSigint);
  let result: PlanCommandResult;
  try {
    result = await runPlan({
      ...ctx.global,
      idea: args.length ? args.join(' ') : undefined,
      requirements: opts.requirement as string[] | undefined,
      stack: opts.stack as string[] | undefined,
      fromFile: opts.fromFile as string | undefined,
      dryRun: opts.dryRun as boolean | undefined,
      estimate: estimateOnly,
      resume: opts.resume as string | undefined,
      scaffold: opts.scaffold as string | undefined,
      fakeResponses: opts.fakeResponses as string | undefined,
      approver: await approverFor(ctx, yes, reporter),
      emit: bus.emit,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    // The live view (Ink on a terminal) steps aside for good; the result below is printed plainly.
    reporter.pause?.();
  }
  if (result.kind === 'estimate') {
    ctx.print(result.estimate, () => formatEstimate(result.estimate));
    return result.exitCode;
  }
  const r = result.result;
  if (ctx.output === 'stream-json') ctx.io.stdout.write(`${JSON.stringify({ type: 'result', ...r })}\n`);
  else ctx.print(r, () => formatPlanResult(r));
  // In text mode the failure reads like any other error: on stderr, with its hint.
  if (r.error && ctx.output === 'text')
    ctx.io.stderr.write(`error: ${r.error.message}\n${r.error.hint ? `  hint: ${r.error.hint}\n` : ''}`);
  return result.exitCode;
}

async function approverFor(ctx: CliContext, yes: boolean, reporter: Reporter): Promise<Approver> {
  if (yes) return autoApprover;
  if (!ctx.interactive) return nonInteractiveApprover;
  const { createPlanReviewApprover } = await import('../../ui/plan/review-approver.js');
  return createPlanReviewApprover({
    input: ctx.io.stdin,
    output: ctx.io.stdout,
    env: ctx.io.env,
    user: ctx.io.env.USER ?? ctx.io.env.USERNAME ?? 'you',
    color: ctx.color,
    before: () => reporter.pause?.(),
    after: () => reporter.resume?.(),
  });
}

export function formatPlanResult(r: PlanResult): string {
  const lines: string[] = [];
  if (r.plan && (r.dryRun || r.status !== 'published')) lines.push(planText(r.plan), '');
  const head = `plan ${r.planId}: ${r.dryRun ? 'draft (dry run: nothing published)' : r.status}${r.costUsd ? ` · ${usd(r.costUsd)}` : ''}`;
  lines.push(head);
  if (r.operations) {
    const creates = r.operations.filter((o) => o.op === 'create').length;
    lines.push(`  would create ${creates} items and ${r.operations.length - creates} "blocks" links`);
  }
  if (r.items.length) {
    const epics = r.items.filter((i) => i.kind === 'epic').length;
    lines.push(
      `  tracker: ${epics} epics, ${r.items.length - epics} tasks (${r.created} created${r.reused ? `, ${r.reused} already there` : ''}), ${r.links} dependency links`,
    );
    for (const item of r.items.slice(0, 60)) lines.push(`    ${item.key.padEnd(10)} → ${item.id}`);
    if (r.items.length > 60) lines.push(`    … and ${r.items.length - 60} more (--json lists all)`);
  }
  if (r.docs) lines.push(`  docs page: ${r.docs.url}`);
  if (r.scaffold)
    lines.push(
      `  scaffold: ${r.scaffold.dir}${r.scaffold.remote ? ` (remote ${r.scaffold.remote})` : ''}${r.scaffold.note ? ` — ${r.scaffold.note}` : ''}`,
    );
  if (r.next) lines.push(`  next: ${r.next}`);
  return lines.join('\n');
}

function formatEstimate(e: PlanEstimate): string {
  const lines = [
    `plan estimate${e.model ? ` with ${e.model}` : ''}: prompt ≈ ${e.promptTokens} tokens, answer ≤ ${e.maxOutputTokens} tokens`,
  ];
  if (e.estimate)
    lines.push(
      `  typical ${usd(e.estimate.typical)} (low ${usd(e.estimate.low)}, high ${usd(e.estimate.high)})`,
    );
  if (e.worstCaseUsd !== null)
    lines.push(`  worst case with ${e.repairs} repair rounds: ${usd(e.worstCaseUsd)}`);
  if (e.note) lines.push(`  note: ${e.note}`);
  return lines.join('\n');
}
