// The TTY side of watch: the Ink dashboard on stderr, redrawn on each event and on a slow tick, then the summary.
import { render, type Instance } from 'ink';
import type { RunEvent } from '../../core/events.js';
import type { WatchEvent } from '../../core/watch/types.js';
import { WatchDashboard } from './dashboard.js';
import { summary, type WatchOutput, type WatchOutputOptions } from './watch-output.js';
import { emptyView, reduceWatch, type WatchView } from './watch-state.js';

export function createInkWatchOutput(options: WatchOutputOptions): WatchOutput {
  let view: WatchView = emptyView();
  let instance: Instance | undefined;
  const width = () => Math.min(options.stderr.columns ?? 80, 120);
  const tree = () => <WatchDashboard view={view} width={width()} />;
  const draw = () => {
    if (!instance) {
      instance = render(tree(), {
        stdout: options.stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
      });
    } else instance.rerender(tree());
  };
  return {
    onEvent(event: WatchEvent | RunEvent) {
      view = reduceWatch(view, event);
      draw();
    },
    async finish(result) {
      draw();
      instance?.unmount();
      instance = undefined;
      await Promise.resolve();
      options.stdout.write(summary(result) + '\n');
    },
  };
}
