// A stderr logger honouring --quiet/--verbose. Core code receives it; it never writes to stdout.
import type { Logger } from '../../providers/types.js';

export type { Logger };

export interface LoggerOptions {
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
  write?: ((line: string) => void) | undefined;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    debug: (m) => void (options.verbose && write(`debug: ${m}`)),
    info: (m) => void (!options.quiet && write(m)),
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
