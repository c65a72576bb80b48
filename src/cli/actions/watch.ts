// CLI adapter for `aidev watch [--once] [--label L] [--assignee A] [--interval S]`: picks the output once (dashboard on
// a TTY, NDJSON with --output stream-json), never prompts (an unattended watcher pauses gates: awaiting_approval, or
// approves them with --yes), and turns the first SIGTERM/SIGINT into a graceful stop; a second one exits at once.
import { runWatch } from '../../commands/watch.js';
import { autoApprover, nonInteractiveApprover } from '../../core/approvals.js';
import { createWatchOutput, type WatchOutputKind } from '../../ui/watch/watch-output.js';
import type { CliContext } from '../context.js';

export interface StopSignals {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

function outputKind(ctx: CliContext): WatchOutputKind {
  if (ctx.output === 'json' || ctx.output === 'stream-json') return ctx.output;
  return ctx.interactive ? 'ink' : 'text';
}

export async function watchAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
  signals: StopSignals = process,
): Promise<number> {
  const output = await createWatchOutput(outputKind(ctx), {
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
    verbose: ctx.global.verbose,
  });
  const stop = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const listener = () => {
      if (stop.signal.aborted) ctx.io.exit(130);
      else stop.abort(name);
    };
    signals.on(name, listener);
    return () => signals.off(name, listener);
  });
  try {
    const result = await runWatch(
      {
        ...ctx.global,
        once: opts.once === true,
        label: opts.label as string | undefined,
        assignee: opts.assignee as string | undefined,
        interval: opts.interval as number | undefined,
        workflow: opts.workflow as string | undefined,
        fakeResponses: opts.fakeResponses as string | undefined,
      },
      {
        approver: ctx.global.yes ? autoApprover : nonInteractiveApprover,
        emit: (event) => output.onEvent(event),
        stop: stop.signal,
      },
    );
    await output.finish(result);
    return result.exitCode;
  } finally {
    for (const off of handlers) off();
  }
}
