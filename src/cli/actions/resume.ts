// CLI adapter for `aidev resume <run> [--approve|--reject] [--feedback "…"] [--max-cost N] [--no-rollback]`.
import { runResume } from '../../commands/resume.js';
import type { CliContext } from '../context.js';
import { executeWithUi } from '../run-ui.js';

export async function resumeAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  return executeWithUi(ctx, (bus, approver, signal) =>
    runResume(
      {
        ...ctx.global,
        run: args[0] ?? '',
        approve: opts.approve === true,
        reject: opts.reject === true,
        feedback: opts.feedback as string | undefined,
        maxCost: opts.maxCost as number | undefined,
        rollback: opts.rollback !== false,
      },
      { emit: bus.emit, approver, signal },
    ),
  );
}
