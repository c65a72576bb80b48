// Everything a command that runs a workflow needs at the edge, decided once: the reporter (ink on a TTY, the combined
// ink view when several runs share it, else text; json / stream-json by --output), the approver (--yes → automatic,
// a TTY → interactive prompt, or the approval queue of the combined view; else pause with exit 4) and Ctrl-C (the
// first aborts the current step of every run and saves each as interrupted, exit 130; the second exits at once).
import type { Logger } from '../../providers/types.js';
import { autoApprover, nonInteractiveApprover, type Approver } from '../core/approvals.js';
import type { RunResult } from '../core/engine/types.js';
import { EventBus, type Emit } from '../core/events.js';
import {
  createReporter,
  type BatchPlan,
  type Reporter,
  type ReporterKind,
  type RunOutcome,
} from '../reporters/index.js';
import { createApprovalQueue } from '../ui/approval-queue.js';
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
  /** How many runs the body starts: more than one on a TTY gets the combined view. */
  runs?: number | undefined;
}

/** What a body that starts several runs tells the view besides events. */
export interface RunUi {
  /** The tasks about to run and the concurrency bound, before the first starts. */
  batch: (plan: BatchPlan) => void;
  /** A run settled (its worktree removed or kept): its pull request and how to continue it. */
  settled: (outcome: RunOutcome) => void;
  /**
   * The logger for the runs' sessions: under the combined view it turns lines into log events (a line written to
   * stderr would tear the view); elsewhere undefined, so sessions keep their own stderr logger.
   */
  logger: Logger | undefined;
}

export type RunBody = (
  bus: EventBus,
  approver: Approver,
  signal: AbortSignal,
  ui: RunUi,
) => Promise<RunResult>;

export function reporterKind(ctx: CliContext, runs = 1): ReporterKind {
  if (ctx.output === 'json') return 'json';
  if (ctx.output === 'stream-json') return 'stream-json';
  if (!ctx.interactive) return 'text';
  return runs > 1 ? 'ink-multi' : 'ink';
}

const userOf = (ctx: CliContext): string => ctx.io.env.USER ?? ctx.io.env.USERNAME ?? 'you';

async function chooseApprover(ctx: CliContext, reporter: Reporter): Promise<Approver> {
  if (ctx.global.yes) return autoApprover;
  if (!ctx.interactive) return nonInteractiveApprover;
  const { createInteractiveApprover } = await import('../ui/approver.js');
  return createInteractiveApprover({
    input: ctx.io.stdin,
    output: ctx.io.stderr,
    user: userOf(ctx),
    color: ctx.color,
    before: () => reporter.pause?.(),
    after: () => reporter.resume?.(),
  });
}

function eventLogger(emit: Emit, ctx: CliContext): Logger {
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) =>
    emit({ type: 'log', level, message, at: new Date().toISOString() });
  return {
    debug: (m) => void (ctx.global.verbose && log('debug', m)),
    info: (m) => void (!ctx.global.quiet && log('info', m)),
    warn: (m) => log('warn', m),
    error: (m) => log('error', m),
  };
}

/** Runs `body` under the chosen reporter, approver and SIGINT handling; returns the exit code. */
export async function executeWithUi(
  ctx: CliContext,
  body: RunBody,
  options: RunUiOptions = {},
): Promise<number> {
  const kind = reporterKind(ctx, options.runs);
  const bus = new EventBus();
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
  // The combined view answers gates itself, one at a time, while the other runs go on.
  const approvals =
    kind === 'ink-multi' && !options.approver && !ctx.global.yes
      ? createApprovalQueue({ user: userOf(ctx) })
      : undefined;
  const reporter = await createReporter(kind, {
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
    color: ctx.color,
    verbose: ctx.global.verbose,
    stdin: ctx.io.stdin,
    approvals,
    interrupt: onSigint,
  });
  bus.on((event) => reporter.onEvent(event));
  const approver = options.approver ?? approvals ?? (await chooseApprover(ctx, reporter));
  const ui: RunUi = {
    batch: (plan) => reporter.onBatch?.(plan),
    settled: (outcome) => reporter.onRunSettled?.(outcome),
    logger: kind === 'ink-multi' ? eventLogger(bus.emit, ctx) : undefined,
  };
  signals.on('SIGINT', onSigint);
  try {
    const result = await body(bus, approver, controller.signal, ui);
    await reporter.finish(result);
    return result.exitCode;
  } finally {
    signals.off('SIGINT', onSigint);
    reporter.dispose?.();
  }
}
