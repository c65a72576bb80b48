// The one place that makes simple-git instances: a clean environment (no ambient GIT_* overrides, no prompts) and
// git's own error text turned into an AidevError that says which command failed and where.
import { simpleGit, type SimpleGit, type SimpleGitOptions } from 'simple-git';
import { AidevError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface GitOptions {
  env: Env;
  signal?: AbortSignal | undefined;
  /** Extra variables for this instance only (a push token, an author identity). */
  extraEnv?: Record<string, string> | undefined;
  /** Only the push helper sets this: it passes `-c credential.helper=…`, which simple-git blocks by default. */
  allowCredentialHelper?: boolean | undefined;
}

// Variables we set on purpose; every other GIT_* variable of the user's shell is dropped so that a stray GIT_DIR or
// GIT_INDEX_FILE can never point a run's commands at the user's own checkout.
const ALLOWED_GIT_ENV = [
  'GIT_TERMINAL_PROMPT',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
];

export function gitEnv(env: Env, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const upper = key.toUpperCase();
    if (upper.startsWith('GIT_') && !ALLOWED_GIT_ENV.includes(upper)) continue;
    if (['EDITOR', 'VISUAL', 'PAGER', 'SSH_ASKPASS', 'PREFIX'].includes(upper)) continue;
    out[key] = value;
  }
  return { ...out, GIT_TERMINAL_PROMPT: '0', ...extra };
}

export function createGit(cwd: string, options: GitOptions): SimpleGit {
  const extraKeys = Object.keys(options.extraEnv ?? {}).filter((k) => k.toUpperCase().startsWith('GIT_'));
  const config: Partial<SimpleGitOptions> = {
    baseDir: cwd,
    maxConcurrentProcesses: 8,
    trimmed: false,
    allowEnvironment: [...ALLOWED_GIT_ENV, ...extraKeys],
    // simple-git treats a non-zero exit with an empty stderr as success; probes such as `rev-parse --quiet` rely on it.
    errors: (error, result) =>
      error ??
      (result.exitCode
        ? new Error(Buffer.concat(result.stdErr).toString() || `git exited with code ${result.exitCode}`)
        : undefined),
    ...(options.signal ? { abort: options.signal } : {}),
    ...(options.allowCredentialHelper ? { unsafe: { allowUnsafeCredentialHelper: true } } : {}),
  };
  return simpleGit(config).env(gitEnv(options.env, options.extraEnv));
}

/**
 * For commands that would start `git maintenance run --auto` afterwards (fetch, commit): not from a run. It costs a
 * process and its time on every run, and, detached, it can hold the command's output open until it is done; the
 * user's own git commands still run maintenance.
 */
export const NO_AUTO_MAINTENANCE = ['-c', 'maintenance.auto=false', '-c', 'gc.auto=0'];

/** Runs `git <args>` and returns stdout; failures become GIT_ERROR naming the command and the folder. */
export async function gitRun(
  cwd: string,
  args: string[],
  options: GitOptions,
  hint?: string,
): Promise<string> {
  try {
    return await createGit(cwd, options).raw(args);
  } catch (error) {
    throw gitFailure(error, args, cwd, hint);
  }
}

/** Like gitRun but answers null instead of throwing (probes: does this ref exist, is there a remote…). */
export async function gitTry(cwd: string, args: string[], options: GitOptions): Promise<string | null> {
  try {
    return await createGit(cwd, options).raw(args);
  } catch (error) {
    if (isAbort(error, options.signal)) throw error;
    return null;
  }
}

export function gitFailure(error: unknown, args: string[], cwd: string, hint?: string): AidevError {
  if (error instanceof AidevError) return error;
  const text = gitMessage(error);
  if (/ENOENT|spawn git/.test(text) && !/fatal:/.test(text)) {
    return new AidevError('GIT_ERROR', 'git is not installed or not on PATH', {
      hint: 'install git 2.30 or newer',
      cause: error,
    });
  }
  // `-c name=value` settings (a credential helper, no auto-maintenance) are not what the user needs to read.
  const command = args.filter((a, i) => !a.startsWith('-c') && args[i - 1] !== '-c');
  return new AidevError('GIT_ERROR', `git ${command.slice(0, 3).join(' ')} failed in ${cwd}: ${text}`, {
    hint: hint ?? `run \`git ${command.join(' ')}\` in ${cwd} to see the whole message`,
    cause: error,
  });
}

/** The meaningful part of git's stderr: `fatal:`/`error:` lines first, else the last lines. */
export function gitMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const important = lines.filter((l) => /^(fatal|error):/.test(l));
  return (important.length ? important : lines.slice(-3)).join(' | ').slice(0, 600) || 'unknown git error';
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    Boolean(signal?.aborted) ||
    (error instanceof Error && /abort/i.test(error.message) && Boolean(signal?.aborted))
  );
}
