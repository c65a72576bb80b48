// --output stream-json: one RunEvent per line as it happens, then the result as the last line (type "result").
import type { Reporter, ReporterOptions } from './types.js';

export function createStreamJsonReporter(options: ReporterOptions): Reporter {
  return {
    onEvent(event) {
      options.stdout.write(JSON.stringify(event) + '\n');
    },
    finish(result) {
      options.stdout.write(JSON.stringify({ type: 'result', ...result }) + '\n');
    },
  };
}
