// The process edge, injected: streams, env, cwd, and the one decision about interactivity.
import type { Readable, Writable } from 'node:stream';

export type OutputMode = 'text' | 'json' | 'stream-json';

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** bin/ passes process.exit for the second Ctrl-C; tests pass a recorder. */
  exit: (code: number) => void;
}

export function processIo(exit: (code: number) => void): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    exit,
  };
}

/** Decided once, at the edge: a TTY when stdout is one and CI is unset; --output overrides the rendering. */
export function isInteractive(io: Io): boolean {
  return Boolean(io.stdout.isTTY && io.stdin.isTTY && !io.env.CI);
}

export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag === false || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  return Boolean(io.stderr.isTTY) && !io.env.CI;
}
