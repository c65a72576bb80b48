// The TTY reporter of several runs at once: the combined Ink view on stderr (src/ui/multi-run-view.tsx), with gates
// answered in it one at a time. Events only fold into state; frames are drawn at most every FRAME_MS, and once a second
// for the clocks, so busy runs cost a reducer call per event and never wait for the terminal.
import { render } from 'ink';
import type { ReactElement } from 'react';
import type { RunEvent } from '../core/events.js';
import type { PanelChoice } from '../ui/approval-panel.js';
import {
  emptyMultiView,
  phaseOf,
  planMulti,
  reduceMulti,
  settleMulti,
  type MultiView,
} from '../ui/multi-run-state.js';
import { MultiRunView } from '../ui/multi-run-view.js';
import { summaryLines } from './summary.js';
import type { Reporter, ReporterOptions } from './types.js';

/** 10 frames a second at most. */
export const FRAME_MS = 100;
const TICK_MS = 1000;

export interface MountedView {
  rerender(tree: ReactElement): void;
  unmount(): void;
}

export interface MultiInkOptions extends ReporterOptions {
  /** Puts the tree on the terminal; tests pass ink-testing-library's render. */
  mount?: ((tree: ReactElement) => MountedView) | undefined;
  /** How long a new gate ignores keys (src/ui/approval-panel.tsx); tests shorten it. */
  armMs?: number | undefined;
}

/** The lines after the last frame when Ctrl-C stopped runs: which ones, and the command that continues each. */
export function interruptedLines(view: MultiView): string[] {
  const stopped = view.tasks.filter((t) => phaseOf(t) === 'paused' && t.run?.status === 'interrupted');
  if (!stopped.length) return [];
  const width = Math.max(...stopped.map((t) => t.id.length));
  return [
    `interrupted: ${stopped.length} run${stopped.length > 1 ? 's' : ''} saved at a checkpoint; continue each with:`,
    ...stopped.map((t) => `  ${t.id.padEnd(width)}  ${t.next ?? `aidev resume ${t.run!.runId}`}`),
  ];
}

export function createMultiInkReporter(options: MultiInkOptions): Reporter {
  const now = options.now ?? (() => Date.now());
  const clock = () => performance.now();
  const approvals = options.approvals;
  const mount =
    options.mount ??
    ((tree: ReactElement) =>
      render(tree, {
        stdout: options.stderr as NodeJS.WriteStream,
        stdin: options.stdin,
        exitOnCtrlC: false,
        patchConsole: false,
        // Interactivity was decided at the edge (a TTY, CI unset); Ink need not guess again.
        interactive: true,
        maxFps: 1000 / FRAME_MS,
      }));
  let view = emptyMultiView();
  let instance: MountedView | undefined;
  let frame: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let last = -Infinity;
  let closed = false;

  const onChoice = (key: number, choice: PanelChoice) => {
    if (choice.kind === 'interrupt') options.interrupt?.();
    else approvals?.answer(key, choice);
  };
  const tree = () => (
    <MultiRunView
      view={view}
      now={now()}
      // A terminal that reports no size (a pty from `script`, some CI runners) says 0 columns.
      width={options.stderr.columns || 80}
      height={options.stderr.rows || 24}
      approvals={approvals?.pending() ?? []}
      onChoice={onChoice}
      armMs={options.armMs}
    />
  );
  const draw = () => {
    frame = undefined;
    if (closed) return;
    last = clock();
    if (instance) {
      instance.rerender(tree());
      return;
    }
    instance = mount(tree());
    ticker = setInterval(schedule, TICK_MS);
    ticker.unref();
  };
  function schedule(): void {
    if (closed || frame) return;
    frame = setTimeout(draw, Math.max(0, last + FRAME_MS - clock()));
  }
  const unsubscribe = approvals?.subscribe(schedule);
  const close = () => {
    if (closed) return false;
    closed = true;
    if (frame) clearTimeout(frame);
    if (ticker) clearInterval(ticker);
    unsubscribe?.();
    return true;
  };

  return {
    onEvent(event: RunEvent) {
      view = reduceMulti(view, event);
      schedule();
    },
    onBatch(plan) {
      view = planMulti(view, plan);
      schedule();
    },
    onRunSettled(outcome) {
      view = settleMulti(view, outcome);
      schedule();
    },
    async finish(result) {
      if (!close()) return;
      // The last frame stays on the terminal, above the summary.
      if (instance) instance.rerender(tree());
      else instance = mount(tree());
      instance.unmount();
      instance = undefined;
      await Promise.resolve();
      const lines = summaryLines(result);
      // The list names every interrupted run; the batch's own "interrupted: <first run's error>" would only blur it.
      const stopped = interruptedLines(view);
      const stderr =
        stopped.length && result.status === 'interrupted' ? stopped : [...stopped, ...lines.stderr];
      for (const line of stderr) options.stderr.write(line + '\n');
      for (const line of lines.stdout) options.stdout.write(line + '\n');
    },
    dispose() {
      if (!close()) return;
      instance?.unmount();
      instance = undefined;
    },
  };
}
