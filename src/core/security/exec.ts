// Runs one shell command in its own process group, with a timeout that kills the whole group, an output cap that
// keeps the head and the tail, and live output lines for progress. Used for agent commands, checks and setup.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { workspaceReady } from '../workspace/reuse.js';

export interface ExecInput {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Characters of output kept (head quarter + tail three quarters). */
  outputLimit: number;
  /** When set, the command runs as `<prefix…> /bin/sh -c <command>` (bwrap). */
  prefix?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved as they arrived, capped. */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  truncated: boolean;
  durationMs: number;
}

/** Keeps the first quarter and the last three quarters of a long output: errors usually sit at the end. */
export class CappedText {
  #head = '';
  #tail = '';
  #dropped = 0;
  readonly #headMax: number;
  readonly #tailMax: number;

  constructor(limit: number) {
    this.#headMax = Math.floor(limit / 4);
    this.#tailMax = limit - this.#headMax;
  }

  push(chunk: string): void {
    if (this.#head.length < this.#headMax) {
      const room = this.#headMax - this.#head.length;
      this.#head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (!chunk) return;
    this.#tail += chunk;
    if (this.#tail.length > this.#tailMax * 2) this.#trim();
  }

  #trim(): void {
    const extra = this.#tail.length - this.#tailMax;
    if (extra > 0) {
      this.#dropped += extra;
      this.#tail = this.#tail.slice(extra);
    }
  }

  get truncated(): boolean {
    this.#trim();
    return this.#dropped > 0;
  }

  toString(): string {
    this.#trim();
    return this.#dropped
      ? `${this.#head}\n… [${this.#dropped} characters omitted] …\n${this.#tail}`
      : this.#head + this.#tail;
  }
}

/** Runs the command once the worktree is ready for commands (a node_modules being linked in the background). */
export async function execCommand(input: ExecInput): Promise<ExecResult> {
  await workspaceReady(input.cwd);
  return spawnCommand(input);
}

function spawnCommand(input: ExecInput): Promise<ExecResult> {
  const started = performance.now();
  const [file, ...args] = input.prefix?.length
    ? [...input.prefix, '/bin/sh', '-c', input.command]
    : ['/bin/sh', '-c', input.command];
  return new Promise((resolve) => {
    const text = new CappedText(input.outputLimit);
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(file, args, {
      cwd: input.cwd,
      env: input.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 2000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, input.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });
    if (input.signal?.aborted) onAbort();
    // The line being received, held to LIVE_LINE_MAX + 1 characters: a 50 MB line without a newline must not be
    // re-joined and re-split on every chunk (quadratic time, hundreds of MB) just to show progress.
    const partial = { stdout: '', stderr: '' };
    // One decoder per stream: a UTF-8 character split across two chunks is joined, not turned into two U+FFFD.
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const feed =
      (stream: 'stdout' | 'stderr') =>
      (data: Buffer): void => {
        const chunk = decoders[stream].write(data);
        text.push(chunk);
        if (!input.onLine) return;
        const lines = chunk.split('\n');
        const rest = lines.pop() ?? '';
        for (const piece of lines) {
          input.onLine(liveLine(partial[stream] + piece.slice(0, LIVE_LINE_MAX + 1)), stream);
          partial[stream] = '';
        }
        if (partial[stream].length <= LIVE_LINE_MAX)
          partial[stream] = (partial[stream] + rest.slice(0, LIVE_LINE_MAX + 1)).slice(0, LIVE_LINE_MAX + 1);
      };
    child.stdout.on('data', feed('stdout'));
    child.stderr.on('data', feed('stderr'));
    const finish = (exitCode: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      for (const stream of ['stdout', 'stderr'] as const)
        if (partial[stream]) input.onLine?.(liveLine(partial[stream]), stream);
      if (timedOut)
        text.push(
          `\n[timed out after ${Math.round(input.timeoutMs / 1000)} s: the command and its children were killed]\n`,
        );
      resolve({
        // A command that exits 0 on the timeout's SIGTERM (a graceful shutdown) did not succeed: 124, as timeout(1).
        exitCode: timedOut && exitCode === 0 ? 124 : exitCode,
        output: text.toString(),
        timedOut,
        aborted,
        truncated: text.truncated,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => {
      text.push(`${error.message}\n`);
      finish(127);
    });
    let exitCode: number | null = null;
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? (signalNumber(signal) ?? 1) : 0);
      // Children the command left behind (a dev server, a watcher) would hold the pipes open: they go with it.
      killGroup('SIGKILL');
    });
    child.on('close', (code, signal) =>
      finish(exitCode ?? code ?? 128 + (signal ? (signalNumber(signal) ?? 1) : 0)),
    );
  });
}

/** Characters of one output line passed to onLine (progress display); the captured output is capped separately. */
export const LIVE_LINE_MAX = 4000;

function liveLine(line: string): string {
  return line.length > LIVE_LINE_MAX ? `${line.slice(0, LIVE_LINE_MAX)} …` : line;
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string];
}
