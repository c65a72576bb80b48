// CLI adapter for `aidev demo`: without a TTY (or with --yes) the review gate is approved automatically, since a demo
// that pauses for `aidev resume` would show nothing.
import { autoApprover } from '../../core/approvals.js';
import { runDemo, type DemoResult } from '../../commands/demo.js';
import type { CliContext } from '../context.js';
import { formatRun, textProgress } from './run.js';

export function formatDemo(result: DemoResult): string {
  const width = Math.max(...result.look.map((l) => l.what.length));
  return [
    formatRun(result.run),
    '',
    result.exitCode === 0
      ? 'The demo worked end to end. Where to look:'
      : 'The demo did not finish. Where to look:',
    ...result.look.map((l) => `  ${l.what.padEnd(width)}  ${l.where}`),
    '',
    'The scripted model is priced like a real one, so the cost above is what this run would have cost; nothing was billed.',
    `Everything is in ${result.dir} (delete it when done). Next: \`aidev init\` in your own repository.`,
  ].join('\n');
}

export async function demoAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runDemo({
      ...ctx.global,
      dir: opts.dir as string | undefined,
      approver: autoApprover,
      emit: textProgress(ctx),
      signal: controller.signal,
    });
    ctx.print(result, () => formatDemo(result));
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
