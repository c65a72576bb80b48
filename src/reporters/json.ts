// --json: nothing while running, then the result object.
import type { Reporter, ReporterOptions } from './types.js';

export function createJsonReporter(options: ReporterOptions): Reporter {
  return {
    onEvent() {},
    finish(result) {
      options.stdout.write(JSON.stringify(result, null, 2) + '\n');
    },
  };
}
