// Temp git repositories for the run tests: a real `git init` with a bare "remote", no mocks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const gitEnvForTests: Record<string, string | undefined> = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function sh(cwd: string, args: string[], env: Record<string, string | undefined> = gitEnvForTests): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'aidev-run-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export interface TempRepo {
  root: string;
  remote: string | null;
  home: string;
  dir: string;
  write(path: string, content: string): void;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A repo with `files` committed on main and, unless `remote: false`, a bare origin holding main. */
export function makeRepo(files: Record<string, string> = { 'README.md': '# demo\n' }, opts: { remote?: boolean } = {}): TempRepo {
  const dir = tempDir();
  const root = join(dir, 'repo');
  mkdirSync(root);
  const home = join(dir, 'home');
  mkdirSync(home);
  sh(root, ['init', '--quiet', '--initial-branch=main']);
  sh(root, ['config', 'user.email', 'test@example.com']);
  sh(root, ['config', 'user.name', 'Test']);
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  sh(root, ['add', '-A']);
  sh(root, ['commit', '--quiet', '--allow-empty', '-m', 'initial']);
  let remote: string | null = null;
  if (opts.remote !== false) {
    remote = join(dir, 'remote.git');
    sh(dir, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    sh(root, ['remote', 'add', 'origin', remote]);
    sh(root, ['push', '--quiet', 'origin', 'main']);
    sh(root, ['remote', 'set-head', 'origin', 'main']);
  }
  return {
    root,
    remote,
    home,
    dir,
    write,
    git: (...args) => sh(root, args),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
