// The slow path of the binary: parse argv with commander, run one command, map errors to exit codes.
import { CommanderError } from 'commander';
import type { AidevError } from '../core/errors.js';
import { ExitCode, formatError, toAidevError } from '../core/errors.js';
import { processIo, type Io } from './io.js';
import { buildProgram } from './program.js';

export async function main(
  argv: string[],
  hooks: { exit: (code: number) => void },
  io: Io = processIo(hooks.exit),
): Promise<number> {
  const state = {
    exitCode: ExitCode.ok as number,
    json:
      argv.includes('--json') ||
      argv.some((a, i) => a === '--output' && argv[i + 1] === 'json') ||
      argv.includes('--output=json'),
  };
  const program = buildProgram({ io, state });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (help and version exit 0).
      return error.exitCode === 0 ? 0 : ExitCode.usage;
    }
    const failure = toAidevError(error);
    reportError(failure, io, state.json, argv.includes('--verbose'));
    return failure.exitCode;
  }
}

export function reportError(error: AidevError, io: Io, json: boolean, verbose: boolean): void {
  if (json) io.stdout.write(JSON.stringify({ ok: false, error: error.toJSON() }, null, 2) + '\n');
  io.stderr.write(formatError(error, verbose || (error.code === 'INTERNAL' && verbose)) + '\n');
}
