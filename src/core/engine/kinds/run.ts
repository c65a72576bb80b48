// `run: <shell command>`: runs in the run's worktree through execa with a scrubbed environment, a timeout and an output
// cap. The command string is passed to the shell as written (no `${…}` interpolation, which would invite injection and
// clash with the shell's own `${VAR}`); values go in through `with:`, which become environment variables.
import { z } from 'zod';
import { AidevError } from '../../errors.js';
import { scrubEnv } from '../../security/env.js';
import { CappedText } from '../../security/exec.js';
import type { StepContext, StepKindHandler, ValidationIssue } from '../types.js';

/** Characters of stdout and of stderr kept as outputs (the tail: failures print last). */
export const OUTPUT_CAP = 64 * 1024;
export const RUN_DEFAULT_TIMEOUT_MS = 10 * 60_000;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const runStepKind: StepKindHandler<string> = {
  kind: 'run',
  schema: z
    .string({ error: 'run: takes the command as a string, e.g. run: npm test' })
    .min(1, 'the command is empty'),
  defaultTimeoutMs: RUN_DEFAULT_TIMEOUT_MS,
  validate(spec, step) {
    const issues: ValidationIssue[] = [];
    for (const key of Object.keys(step.with)) {
      if (!ENV_NAME.test(key)) {
        issues.push({
          message: `\`with.${key}\` cannot be an environment variable name`,
          hint: 'for run: steps, with: keys become environment variables: use letters, digits and _',
          path: ['with', key],
        });
      }
    }
    if (/\$\{\{/.test(spec)) {
      issues.push({
        message: 'run: commands are not interpolated',
        hint: 'pass the value through `with: {NAME: ${{ … }}}` and use $NAME in the command',
        path: ['run'],
      });
    }
    return issues;
  },
  outputs: () => ['stdout', 'stderr', 'exit_code'],
  async execute(command, input, ctx) {
    const out = new CappedText(OUTPUT_CAP);
    const err = new CappedText(OUTPUT_CAP);
    // execa loads only when a run: step runs (every command start-up pays for what it imports).
    const { execa } = await import('execa');
    const subprocess = execa(command, {
      shell: true,
      cwd: ctx.cwd(),
      env: scrubbedEnv(ctx, input),
      extendEnv: false,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      // Its own process group, so a timeout or Ctrl-C stops the command's children too, not only the shell.
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (subprocess.pid) process.kill(-subprocess.pid, signal);
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 2000).unref();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    subprocess.stdout.on(
      'data',
      lines((line) => ctx.progress(line, 'stdout'), out),
    );
    subprocess.stderr.on(
      'data',
      lines((line) => ctx.progress(line, 'stderr'), err),
    );
    const result = await subprocess.finally(() => ctx.signal.removeEventListener('abort', onAbort));
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const outputs = {
      stdout: trimEnd(out.toString()),
      stderr: trimEnd(err.toString()),
      exit_code: result.exitCode ?? null,
    };
    if (result.failed) {
      const code = result.exitCode;
      const tail = outputs.stderr.split('\n').slice(-5).join('\n').trim();
      const why =
        code === undefined
          ? result.signal
            ? `was killed by ${result.signal}`
            : 'could not start'
          : `exited with code ${code}`;
      throw new AidevError(
        'STEP_FAILED',
        `step ${ctx.stepId}: \`${command}\` ${why}${tail ? `:\n${tail}` : ''}`,
        {
          hint:
            code === 127
              ? 'a command was not found in the worktree: install it, or add its setup to workspace.setup'
              : 'set `on_error: continue` to go on and read steps.<id>.outputs.exit_code',
          details: { outputs },
        },
      );
    }
    return outputs;
  },
};

/** The user's environment minus credentials (the same scrub as agent commands), plus the run's ids and `with:` values. */
function scrubbedEnv(ctx: StepContext, input: Record<string, unknown>): Record<string, string> {
  const extra: Record<string, string> = {
    AIDEV_RUN_ID: ctx.runId,
    AIDEV_STEP_ID: ctx.stepId,
    AIDEV_REPO_ROOT: ctx.repoRoot,
  };
  for (const [key, value] of Object.entries(input)) {
    extra[key] =
      typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  }
  return scrubEnv(ctx.runtime.env, extra);
}

/** Feeds the capped text and reports complete lines as progress. */
function lines(onLine: (line: string) => void, text: CappedText): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const s = chunk.toString('utf8');
    text.push(s);
    const parts = (partial + s).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) onLine(line);
  };
}

function trimEnd(text: string): string {
  return text.replace(/\n$/, '');
}
