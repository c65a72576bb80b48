// The TTY reporter: the live Ink progress view on stderr (ticking elapsed times), then the summary. It steps aside
// (unmounts, leaving its last frame) while an approval prompt owns the terminal.
import { render, type Instance } from 'ink';
import type { RunEvent } from '../core/events.js';
import { RunProgress } from '../ui/run-progress.js';
import { emptyView, reduce, type RunView } from '../ui/run-state.js';
import { summaryLines } from './summary.js';
import type { Reporter, ReporterOptions } from './types.js';

const TICK_MS = 120;

export function createInkReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? (() => Date.now());
  let view: RunView = emptyView();
  let instance: Instance | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let paused = false;

  const width = () => Math.min(options.stderr.columns || 80, 120);
  const tree = () => <RunProgress view={view} now={now()} width={width()} />;
  const draw = () => {
    if (paused) return;
    if (!instance) {
      instance = render(tree(), {
        stdout: options.stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
        // Interactivity was decided at the edge (a TTY, CI unset); Ink need not guess again.
        interactive: true,
      });
      timer = setInterval(draw, TICK_MS);
      timer.unref();
    } else instance.rerender(tree());
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    instance?.rerender(tree());
    instance?.unmount();
    instance = undefined;
  };

  return {
    onEvent(event: RunEvent) {
      view = reduce(view, event);
      if (event.type !== 'run.finished') draw();
    },
    pause() {
      stop();
      paused = true;
    },
    resume() {
      paused = false;
      draw();
    },
    async finish(result) {
      paused = false;
      if (!instance) draw();
      stop();
      await Promise.resolve();
      const lines = summaryLines(result);
      for (const line of lines.stderr) options.stderr.write(line + '\n');
      for (const line of lines.stdout) options.stdout.write(line + '\n');
    },
    // The body failed before finish (an error outside the engine): the view gives the terminal back, cursor included.
    dispose() {
      stop();
    },
  };
}
