// What a command's CLI adapter receives: the io edge, the output mode decided once, and the global options.
import type { Command } from 'commander';
import { AidevError } from '../core/errors.js';
import type { GlobalOptions } from '../core/session.js';
import { isInteractive, useColor, type Io, type OutputMode } from './io.js';

export interface CliState {
  exitCode: number;
  json: boolean;
}

export interface CliContext {
  io: Io;
  output: OutputMode;
  /** A TTY and not CI: Ink UI and prompts are allowed. */
  interactive: boolean;
  color: boolean;
  global: GlobalOptions;
  state: CliState;
  /** Prints a command's result: the object as JSON with --json / stream-json, else its text form. */
  print(result: unknown, text: string | (() => string)): void;
}

interface RawGlobals {
  config?: string;
  cwd?: string;
  output?: string;
  json?: boolean;
  yes?: boolean;
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function cliContext(io: Io, state: CliState, command: Command): CliContext {
  const raw = command.optsWithGlobals<RawGlobals>();
  const output = (raw.json ? 'json' : (raw.output ?? 'text')) as OutputMode;
  if (!['text', 'json', 'stream-json'].includes(output)) {
    throw new AidevError('USAGE', `--output must be text, json or stream-json (got "${output}")`, {
      hint: 'use --output json, or --json',
    });
  }
  state.json = output !== 'text';
  const cwd = raw.cwd ? resolveFrom(io.cwd, raw.cwd) : io.cwd;
  const color = useColor(io, raw.color);
  return {
    io,
    output,
    interactive: output === 'text' && isInteractive(io),
    color,
    state,
    global: { cwd, env: io.env, config: raw.config, verbose: raw.verbose, quiet: raw.quiet, yes: raw.yes },
    print(result, text) {
      if (output === 'text') {
        const body = typeof text === 'function' ? text() : text;
        if (body) io.stdout.write(body.endsWith('\n') ? body : body + '\n');
      } else io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    },
  };
}

function resolveFrom(base: string, path: string): string {
  return path.startsWith('/') ? path : `${base}/${path}`;
}
