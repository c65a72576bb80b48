// The one security policy of a run, enforced in the agent's tools (never left to the prompt): paths confined to the
// worktree, blocked paths, the command allowlist and denylist, a scrubbed environment, timeouts, output caps and,
// where available, the bubblewrap sandbox.
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { aidevHome } from '../paths.js';
import type { Config } from '../config/schema.js';
import { checkPackages } from '../config/verify-packages.js';
import type { Env } from '../git/client.js';
import { checkoutOfGitDir, commonGitDir } from '../git/repo.js';
import { checkCommand, READ_ONLY_GIT, type CommandDecision } from './commands.js';
import { scrubEnv } from './env.js';
import { execCommand, type ExecResult } from './exec.js';
import { compileGlobs, type GlobMatcher } from './glob.js';
import { confinePath, denied, type ConfinedPath } from './paths.js';
import { bwrapArgs, requireSandbox, sandboxStatus, toolCacheEnv, type SandboxStatus } from './sandbox.js';

export interface PolicyInput {
  /** The worktree: the only place the agent reads, writes and runs commands. */
  root: string;
  config: Pick<Config, 'security' | 'verify' | 'agent'>;
  env: Env;
  /** Paths hidden inside the sandbox besides the usual credential folders (e.g. the ledger). */
  hidden?: readonly string[] | undefined;
}

export interface RunOptions {
  timeoutMs?: number | undefined;
  outputLimit?: number | undefined;
  signal?: AbortSignal | undefined;
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  /** The user's own configured commands (checks): not held to the allowlist, still sandboxed and scrubbed. */
  trusted?: boolean | undefined;
}

export interface SecurityPolicy {
  readonly root: string;
  readonly sandbox: SandboxStatus;
  readonly allowedCommands: readonly string[];
  readonly deniedCommands: readonly string[];
  isBlocked(relativePath: string): boolean;
  /** Throws POLICY_DENIED when the path is outside the worktree, inside .git, or blocked. */
  resolvePath(path: string): ConfinedPath;
  checkCommand(line: string): CommandDecision;
  /** Throws POLICY_DENIED for a command the policy refuses (unless trusted). */
  runCommand(line: string, options?: RunOptions): Promise<ExecResult>;
  /** The environment commands get (names of dropped variables are not kept). */
  commandEnv(): Record<string, string>;
}

export async function createPolicy(input: PolicyInput): Promise<SecurityPolicy> {
  const root = realpathSync(input.root);
  const { security, verify, agent } = input.config;
  const blocked: GlobMatcher = compileGlobs(security.blocked_paths);
  // A monorepo package's checks (`cd packages/api && npm test`, or its own) are the agent's to run as well.
  const packageChecks = checkPackages(verify).flatMap((p) => p.checks);
  const allowedCommands = [
    ...verify.checks,
    ...packageChecks,
    ...READ_ONLY_GIT,
    ...security.allowed_commands,
  ];
  const deniedCommands = [...security.denied_commands];
  const sandbox = sandboxStatus(security.sandbox, input.env);
  // A worktree's .git is a file pointing into the main repository; git inside the sandbox needs to read it.
  const commonDir = await commonGitDir(root, { env: input.env });
  const cacheDir = sandbox.mode === 'bwrap' ? toolCacheDir(input.env, commonDir ?? root) : null;
  const caches = cacheDir ? toolCacheEnv(cacheDir) : {};
  for (const dir of Object.values(caches)) mkdirSync(dir, { recursive: true });
  const env = scrubEnv(input.env, { CI: 'true', AIDEV_SANDBOX: sandbox.mode, ...caches });

  const prefix = (): string[] | undefined => {
    if (sandbox.mode !== 'bwrap' || !sandbox.bwrapPath) return undefined;
    return [
      sandbox.bwrapPath,
      ...bwrapArgs({
        bwrapPath: sandbox.bwrapPath,
        writable: root,
        readable: commonDir ? [commonDir] : [],
        cwd: root,
        home: input.env.HOME,
        extraHidden: input.hidden,
        caches: cacheDir ? [cacheDir] : [],
      }),
    ];
  };

  return {
    root,
    sandbox,
    allowedCommands,
    deniedCommands,
    isBlocked: (rel) => blocked(rel),
    resolvePath: (path) => confinePath(root, path, blocked),
    checkCommand: (line) => checkCommand(line, { allowed: allowedCommands, denied: deniedCommands, blocked }),
    commandEnv: () => ({ ...env }),
    async runCommand(line, options = {}) {
      if (!options.trusted) {
        const decision = checkCommand(line, { allowed: allowedCommands, denied: deniedCommands, blocked });
        if (!decision.allowed)
          throw denied(
            `command refused: ${decision.reason}`,
            'use the configured checks, read-only git, or ask the user to extend security.allowed_commands',
          );
      }
      requireSandbox(sandbox);
      return execCommand({
        command: line,
        cwd: root,
        env,
        timeoutMs: options.timeoutMs ?? agent.command_timeout * 1000,
        outputLimit: options.outputLimit ?? agent.output_limit,
        prefix: prefix(),
        signal: options.signal,
        onLine: options.onLine,
      });
    },
  };
}

/** $AIDEV_HOME/cache/tools/<repo>-<hash>: one per repository (its common git dir), shared by its worktrees. */
function toolCacheDir(env: Env, repo: string): string {
  const name = basename(checkoutOfGitDir(repo));
  const hash = createHash('sha256').update(repo).digest('hex').slice(0, 10);
  return join(aidevHome(env), 'cache', 'tools', `${name}-${hash}`);
}
