// CLI adapter for `aidev demo`: progress through run-ui; without a TTY (or with --yes) the review gate is approved
// automatically, since a demo that pauses for `aidev resume` would show nothing.
import { autoApprover } from '../../core/approvals.js';
import { runDemo, type DemoResult } from '../../commands/demo.js';
import type { CliContext } from '../context.js';
import { executeWithUi } from '../run-ui.js';
import { formatRunDetails } from './run.js';

export function formatDemo(result: DemoResult): string {
  const width = Math.max(...result.look.map((l) => l.what.length));
  return [
    formatRunDetails(result.run),
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
  let done: DemoResult | undefined;
  const code = await executeWithUi(
    ctx,
    async (bus, approver, signal) => {
      done = await runDemo(
        { ...ctx.global, dir: opts.dir as string | undefined },
        { approver, emit: bus.emit, signal },
      );
      return done.run;
    },
    // On a TTY the person approves the diff; anywhere else the demo approves it itself.
    ctx.interactive && !ctx.global.yes ? {} : { approver: autoApprover },
  );
  if (done && ctx.output === 'text' && !ctx.global.quiet) ctx.io.stdout.write(formatDemo(done) + '\n');
  return code;
}
