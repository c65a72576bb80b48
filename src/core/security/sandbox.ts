// Bubblewrap: when security.sandbox is auto (and bwrap works here) or bwrap, agent commands and checks run with the
// whole file system read-only except the worktree, no network, and the usual credential folders hidden.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AidevError } from '../errors.js';
import type { Env } from '../git/client.js';

export type SandboxSetting = 'auto' | 'bwrap' | 'none';

export interface SandboxStatus {
  setting: SandboxSetting;
  /** What commands actually run in. */
  mode: 'bwrap' | 'none';
  bwrapPath: string | null;
  /** One line for doctor and the run log. */
  reason: string;
}

const probes = new Map<string, { path: string | null; works: boolean; error?: string | undefined }>();

function findOnPath(name: string, env: Env): string | null {
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Is bwrap installed, and can it make namespaces here (containers often forbid it)? Probed once per PATH. */
function probe(env: Env): { path: string | null; works: boolean; error?: string | undefined } {
  const key = env.PATH ?? '';
  const cached = probes.get(key);
  if (cached) return cached;
  const path = findOnPath('bwrap', env);
  let result: { path: string | null; works: boolean; error?: string | undefined } = { path, works: false };
  if (path) {
    const run = spawnSync(
      path,
      [
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        '--proc',
        '/proc',
        '--unshare-net',
        '--die-with-parent',
        'true',
      ],
      { timeout: 5000, encoding: 'utf8' },
    );
    result = {
      path,
      works: run.status === 0,
      error: run.status === 0 ? undefined : (run.stderr || run.error?.message || `exit ${run.status}`).trim(),
    };
  }
  probes.set(key, result);
  return result;
}

export function sandboxStatus(setting: SandboxSetting, env: Env): SandboxStatus {
  if (setting === 'none')
    return {
      setting,
      mode: 'none',
      bwrapPath: null,
      reason:
        'security.sandbox is none: commands run without isolation (allowlist, scrubbed env, timeout only)',
    };
  const found = probe(env);
  if (found.works)
    return {
      setting,
      mode: 'bwrap',
      bwrapPath: found.path,
      reason: `bubblewrap (${found.path}): read-only system, writable worktree, no network`,
    };
  const why = found.path
    ? `bwrap is installed but cannot run here (${found.error ?? 'unknown error'})`
    : 'bwrap is not installed';
  if (setting === 'bwrap')
    return { setting, mode: 'none', bwrapPath: found.path, reason: `security.sandbox is bwrap but ${why}` };
  return {
    setting,
    mode: 'none',
    bwrapPath: found.path,
    reason: `${why}: commands run without isolation (allowlist, scrubbed env, timeout only); install bubblewrap for a sandbox`,
  };
}

/** Throws when the config demands bwrap and it is not usable: silently running unsandboxed would be worse. */
export function requireSandbox(status: SandboxStatus): void {
  if (status.setting === 'bwrap' && status.mode !== 'bwrap') {
    throw new AidevError('POLICY_DENIED', status.reason, {
      hint: 'install bubblewrap (apt-get install bubblewrap), or set security.sandbox: auto',
    });
  }
}

// Hidden inside the sandbox even though they are readable on the host: a check script edited by the model must
// not be able to print a key into its output (which goes back to the model).
const CREDENTIAL_DIRS = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.docker',
  '.kube',
  '.azure',
  '.config/gh',
  '.config/gcloud',
  '.config/hub',
  '.password-store',
];
const CREDENTIAL_FILES = [
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.yarnrc.yml',
  '.config/git/credentials',
];

export interface BwrapInput {
  bwrapPath: string;
  /** The only writable path. */
  writable: string;
  /** Read-only paths that must stay visible even under the fresh /tmp (the repository's .git for a worktree). */
  readable: readonly string[];
  cwd: string;
  home?: string | undefined;
  extraHidden?: readonly string[] | undefined;
  /** Writable too: the toolchains' build cache folder (see toolCacheEnv); it must exist. */
  caches?: readonly string[] | undefined;
}

export function bwrapArgs(input: BwrapInput): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  for (const path of input.readable) if (existsSync(path)) args.push('--ro-bind', path, path);
  const hidden = [
    ...(input.home ? [...CREDENTIAL_DIRS, ...CREDENTIAL_FILES].map((p) => join(input.home!, p)) : []),
    ...(input.extraHidden ?? []),
  ];
  for (const p of hidden) {
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) args.push('--tmpfs', p);
    else args.push('--ro-bind', '/dev/null', p);
  }
  args.push('--bind', input.writable, input.writable);
  for (const dir of input.caches ?? []) args.push('--bind', dir, dir);
  args.push(
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-pid',
    '--unshare-uts',
    '--die-with-parent',
    '--new-session',
    '--chdir',
    input.cwd,
  );
  return args;
}

/**
 * Toolchains keep their build caches under $HOME (Go's GOCACHE, pip's and others' $XDG_CACHE_HOME), read-only in the
 * sandbox, so `go test` cannot even start. Sandboxed commands get a writable cache of aidev's own instead, one per
 * repository and kept between runs so builds stay incremental; whatever a run leaves there can only reach later runs
 * of the same repository, never the user's own caches.
 */
export function toolCacheEnv(dir: string): Record<string, string> {
  return {
    XDG_CACHE_HOME: join(dir, 'xdg'),
    GOCACHE: join(dir, 'go-build'),
    npm_config_cache: join(dir, 'npm'),
  };
}
