// CLI adapters for `aidev runs list|show` and `aidev cost`.
import type { RunStatus } from '../../core/events.js';
import { runCost, runRunsList, runRunsShow, type CostOptions, type RunDetail } from '../../commands/runs.js';
import type { CliContext } from '../context.js';
import { duration, table, truncate, usd } from '../format.js';

export async function runsListAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runRunsList({
    ...ctx.global,
    status: opts.status as RunStatus | undefined,
    taskId: opts.task as string | undefined,
    limit: opts.limit as number | undefined,
  });
  ctx.print(result, () =>
    result.runs.length
      ? table(
          result.runs.map((r) => [
            r.id,
            r.taskId ?? '-',
            r.workflow,
            r.status,
            r.startedAt.slice(0, 19).replace('T', ' '),
            duration(r.durationMs),
            String(r.tokens),
            usd(r.costUsd),
          ]),
          ['RUN', 'TASK', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', 'TOKENS', 'COST'],
        )
      : 'no runs yet',
  );
}

export async function runsShowAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const detail = await runRunsShow({ ...ctx.global, run: args[0]!, audit: opts.audit === true });
  ctx.print(detail, () => formatRunDetail(detail));
}

export function formatRunDetail({ run, steps, effects, audit }: RunDetail): string {
  const lines = [
    `run ${run.id}  ${run.status}`,
    `  task: ${run.taskId ?? '-'}   workflow: ${run.workflow}   branch: ${run.branch ?? '-'}`,
    `  started: ${run.startedAt}   duration: ${duration(run.durationMs)}   tokens: ${run.tokens}   cost: ${usd(run.costUsd)}`,
  ];
  if (run.worktree) lines.push(`  worktree: ${run.worktree}`);
  if (run.error)
    lines.push(`  error: ${run.error.message}${run.error.hint ? `\n  hint: ${run.error.hint}` : ''}`);
  if (steps.length) {
    lines.push(
      '',
      table(
        steps.map((s) => [
          s.stepId,
          s.kind,
          s.status,
          duration(s.durationMs),
          usd(s.costUsd),
          s.outputs === null ? '' : truncate(JSON.stringify(s.outputs), 50),
        ]),
        ['STEP', 'KIND', 'STATUS', 'TIME', 'COST', 'OUTPUTS'],
      ),
    );
  }
  if (effects.length)
    lines.push(
      '',
      'effects:',
      ...effects.map((e) => `  ${e.kind} ${e.status}${e.externalId ? ` → ${e.externalId}` : ''}`),
    );
  if (audit?.length)
    lines.push(
      '',
      'audit:',
      ...audit.map(
        (a) =>
          `  ${a.at.slice(11, 19)} ${a.actor} ${a.action} ${a.decision} ${a.detail === null ? '' : truncate(JSON.stringify(a.detail), 80)}`,
      ),
    );
  return lines.join('\n');
}

export async function costAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runCost({
    ...ctx.global,
    since: opts.since as string | undefined,
    month: opts.month as string | undefined,
    by: opts.by as CostOptions['by'],
  });
  ctx.print(result, () => {
    const window = result.since
      ? `from ${result.since}${result.until ? ` to ${result.until}` : ''}`
      : 'all time';
    if (!result.rows.length) return `no model calls recorded (${window})`;
    const rows = result.rows.map((r) => [
      r.key,
      String(r.calls),
      String(r.inputTokens),
      String(r.outputTokens),
      String(r.cacheReadTokens),
      usd(r.costUsd),
    ]);
    rows.push([
      'total',
      String(result.total.calls),
      String(result.total.inputTokens),
      String(result.total.outputTokens),
      String(result.total.cacheReadTokens),
      usd(result.total.costUsd),
    ]);
    return (
      `spend by ${result.by}, ${window}\n` +
      table(rows, [result.by.toUpperCase(), 'CALLS', 'INPUT', 'OUTPUT', 'CACHE READ', 'COST'])
    );
  });
}
