// workspace.setup: the user's own commands (e.g. `npm ci`) run once in a fresh worktree before the agent starts.
// They are not the model's commands, so they get the user's environment and the network; their output streams live.
import { AidevError } from '../errors.js';
import type { Env } from '../git/client.js';
import { execCommand } from '../security/exec.js';

export interface SetupInput {
  commands: readonly string[];
  cwd: string;
  env: Env;
  /** Per command. */
  timeoutMs: number;
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface SetupResult {
  commands: { command: string; durationMs: number }[];
  durationMs: number;
}

export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function runSetup(input: SetupInput): Promise<SetupResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.env)) if (v !== undefined) env[k] = v;
  const done: SetupResult['commands'] = [];
  let total = 0;
  for (const command of input.commands) {
    input.onLine?.(`$ ${command}`, 'stdout');
    const result = await execCommand({
      command,
      cwd: input.cwd,
      env,
      timeoutMs: input.timeoutMs,
      outputLimit: 200_000,
      signal: input.signal,
      onLine: input.onLine,
    });
    total += result.durationMs;
    if (result.aborted)
      throw new AidevError('INTERRUPTED', `workspace.setup was interrupted during "${command}"`);
    if (result.exitCode !== 0) {
      const why = result.timedOut
        ? `timed out after ${Math.round(input.timeoutMs / 1000)} s`
        : `exited with code ${result.exitCode}`;
      throw new AidevError(
        'STEP_FAILED',
        `workspace.setup command "${command}" ${why} in ${input.cwd}:\n${tail(result.output)}`,
        {
          hint:
            result.exitCode === 127
              ? `the program is not installed here: install it, or change workspace.setup in .aidevrc.yaml`
              : `run it yourself in ${input.cwd} (the worktree is kept), then fix workspace.setup in .aidevrc.yaml and \`aidev resume\``,
          details: { command, exitCode: result.exitCode, worktree: input.cwd },
        },
      );
    }
    done.push({ command, durationMs: result.durationMs });
  }
  return { commands: done, durationMs: total };
}
