// The reporters, in one static map. Ink (React) loads only when a TTY view is chosen.
import { createJsonReporter } from './json.js';
import { createStreamJsonReporter } from './stream-json.js';
import { createTextReporter } from './text.js';
import type { Reporter, ReporterKind, ReporterOptions } from './types.js';

export type { BatchPlan, Reporter, ReporterKind, ReporterOptions, RunOutcome } from './types.js';

export const reporters: Record<ReporterKind, (options: ReporterOptions) => Promise<Reporter>> = {
  ink: async (options) => (await import('./ink.js')).createInkReporter(options),
  'ink-multi': async (options) => (await import('./ink-multi.js')).createMultiInkReporter(options),
  text: (options) => Promise.resolve(createTextReporter(options)),
  json: (options) => Promise.resolve(createJsonReporter(options)),
  'stream-json': (options) => Promise.resolve(createStreamJsonReporter(options)),
};

export function createReporter(kind: ReporterKind, options: ReporterOptions): Promise<Reporter> {
  return reporters[kind](options);
}
