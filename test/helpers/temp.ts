// Temp dirs, temp git repos and a spawner for the built binary. Real objects, no mocks.
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { removeTree } from './remove-tree.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const binPath = join(repoRoot, 'dist/bin/aidev.cjs');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

export function tempDir(prefix = 'aidev-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => removeTree(dir));
  return dir;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...gitIdentity } }).trim();
}

export const gitIdentity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** A git repo with one commit on `main`; with `remote`, a bare repo added as origin and pushed. */
export function tempRepo(options: { remote?: boolean; files?: Record<string, string> } = {}): {
  dir: string;
  remote: string | null;
} {
  const dir = tempDir('aidev-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(options.files ?? { 'README.md': '# test\n' })) {
    execFileSync('mkdir', ['-p', join(dir, path, '..')]);
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  let remote: string | null = null;
  if (options.remote) {
    remote = tempDir('aidev-remote-');
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    git(dir, 'remote', 'add', 'origin', remote);
    git(dir, 'push', '-q', 'origin', 'main');
  }
  return { dir, remote };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built binary (npm test builds first) with a private AIDEV_HOME unless given. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string } & SpawnOptions,
): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, CI: '1', NO_COLOR: '1', ...gitIdentity, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
