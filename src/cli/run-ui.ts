// Everything a command that runs a workflow needs at the edge, decided once: the reporter (ink on a TTY, else text;
// json / stream-json by --output), the approver (--yes → automatic, a TTY → interactive prompt, else pause with exit 4)
// and Ctrl-C (the first aborts the current step and saves the run as interrupted, exit 130; the second exits at once).
import { autoApprover, nonInteractiveApprover, type Approver } from '../core/approvals.js';
import type { RunResult } from '../core/engine/types.js';
import { EventBus } from '../core/events.js';
import { createReporter, type Reporter, type ReporterKind } from '../reporters/index.js';
import type { CliContext } from './context.js';

/** Where SIGINT comes from: the process by default, a fake in tests. */
export interface SignalSource {
  on(signal: 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGINT', listener: () => void): unknown;
}

export interface RunUiOptions {
  signals?: SignalSource | undefined;
  /** Overrides the approver choice (tests). */
  approver?: Approver | undefined;
}

export type RunBody = (bus: EventBus, approver: Approver, signal: AbortSignal) => Promise<RunResult>;

export function reporterKind(ctx: CliContext): ReporterKind {
  if (ctx.output === 'json') return 'json';
  if (ctx.output === 'stream-json') return 'stream-json';
  return ctx.interactive ? 'ink' : 'text';
}

async function chooseApprover(ctx: CliContext, reporter: Reporter): Promise<Approver> {
  if (ctx.global.yes) return autoApprover;
  if (!ctx.interactive) return nonInteractiveApprover;
  const { createInteractiveApprover } = await import('../ui/approver.js');
  return createInteractiveApprover({
    input: ctx.io.stdin,
    output: ctx.io.stderr,
    user: ctx.io.env.USER ?? ctx.io.env.USERNAME ?? 'you',
    color: ctx.color,
    before: () => reporter.pause?.(),
    after: () => reporter.resume?.(),
  });
}

/** Runs `body` under the chosen reporter, approver and SIGINT handling; returns the exit code. */
export async function executeWithUi(
  ctx: CliContext,
  body: RunBody,
  options: RunUiOptions = {},
): Promise<number> {
  const reporter = await createReporter(reporterKind(ctx), {
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
    color: ctx.color,
    verbose: ctx.global.verbose,
  });
  const bus = new EventBus();
  bus.on((event) => reporter.onEvent(event));
  const approver = options.approver ?? (await chooseApprover(ctx, reporter));
  const controller = new AbortController();
  const signals: SignalSource = options.signals ?? process;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      bus.emit({
        type: 'log',
        level: 'warn',
        message:
          'interrupting: stopping the current step (Ctrl-C again to quit at once; the run stays resumable)',
        at: new Date().toISOString(),
      });
      controller.abort();
    } else ctx.io.exit(130);
  };
  signals.on('SIGINT', onSigint);
  try {
    const result = await body(bus, approver, controller.signal);
    await reporter.finish(result);
    return result.exitCode;
  } finally {
    signals.off('SIGINT', onSigint);
  }
}
