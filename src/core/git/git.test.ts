import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  tempDir,
  type TempRepo,
} from '../../../test/integration/run-fixtures.js';
import { AidevError } from '../errors.js';
import { gitFailure, NO_AUTO_MAINTENANCE } from './client.js';
import {
  addWorktree,
  branchNameFor,
  commitAll,
  commonGitDir,
  credentialHelperArgs,
  findRunCommit,
  pushBranch,
  removeWorktree,
  repoRoot,
  resolveBaseBranch,
  sanitizeBranchName,
  stageAll,
  stagedDiff,
  worktreePathFor,
} from './index.js';

const options = { env: gitEnvForTests };
let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});
function repo(...args: Parameters<typeof makeRepo>): TempRepo {
  const r = makeRepo(...args);
  repos.push(r);
  return r;
}

async function newWorktree(r: TempRepo, runId: string, branch = 'feature/T-1') {
  const base = await resolveBaseBranch(r.root, { remote: 'origin', hasRemote: r.remote !== null }, options);
  const path = worktreePathFor({ home: r.home, repoRoot: r.root, runId });
  const wt = await addWorktree(
    {
      root: r.root,
      path,
      branch,
      startPoint: base.startPoint,
      remote: 'origin',
      hasRemote: r.remote !== null,
      onExisting: 'reuse',
    },
    options,
  );
  return { base, wt };
}

describe('repoRoot', () => {
  it('says NOT_A_GIT_REPO with a hint outside a repository', async () => {
    const dir = tempDir();
    const error = await repoRoot(dir, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).code).toBe('NOT_A_GIT_REPO');
    expect((error as AidevError).hint).toMatch(/git init/);
  });

  it('finds the top from a subfolder', async () => {
    const r = repo({ 'src/a.ts': 'x' });
    expect(await repoRoot(join(r.root, 'src'), options)).toBe(r.root);
  });
});

describe('branch names', () => {
  it('renders the template and makes it a valid ref', () => {
    expect(
      branchNameFor('feature/{{task.id}}-{{task.title}}', {
        task: { id: 'T-1', title: 'Fix: the "login" bug?' },
      }),
    ).toBe('feature/T-1-Fix-the-login-bug');
    expect(sanitizeBranchName('a..b/.c.lock/')).toBe('a.b/c-lock');
    expect(() => branchNameFor('x/{{task.nope}}', { task: {} })).toThrow(/git.branch_template/);
  });
  it('refuses a template that renders to nothing', () => {
    expect(() => branchNameFor('{{task.id}}', { task: { id: '...' } })).toThrow(/empty branch name/);
  });
});

describe('worktrees', () => {
  it('creates the branch in its own worktree from origin/main and leaves a dirty user checkout untouched', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    r.write('a.txt', 'user edit\n');
    r.write('scratch.txt', 'untracked\n');
    sh(r.root, ['add', 'scratch.txt']);
    const statusBefore = r.git('status', '--porcelain');
    const headBefore = r.git('rev-parse', 'HEAD');
    const { base, wt } = await newWorktree(r, 'r-1');
    expect(base).toMatchObject({ name: 'main', startPoint: 'origin/main' });
    expect(wt.reused).toBe(false);
    expect(wt.path).toBe(join(r.home, 'worktrees', 'repo', 'r-1'));
    expect(readFileSync(join(wt.path, 'a.txt'), 'utf8')).toBe('one\n');
    expect(sh(wt.path, ['branch', '--show-current']).trim()).toBe('feature/T-1');
    expect(r.git('status', '--porcelain')).toBe(statusBefore);
    expect(r.git('rev-parse', 'HEAD')).toBe(headBefore);
    expect(r.git('branch', '--show-current').trim()).toBe('main');
  });

  it('reuses an existing branch with a notice and never resets it', async () => {
    const r = repo();
    r.git('branch', 'feature/T-1');
    r.git('checkout', '--quiet', 'feature/T-1');
    r.write('extra.txt', 'x\n');
    r.git('add', '-A');
    r.git('commit', '--quiet', '-m', 'earlier work');
    const earlier = r.git('rev-parse', 'HEAD').trim();
    r.git('checkout', '--quiet', 'main');
    const { wt } = await newWorktree(r, 'r-2');
    expect(wt.reused).toBe(true);
    expect(wt.notice).toMatch(/exists already \(1 commit ahead of origin\/main\): reusing it/);
    expect(sh(wt.path, ['rev-parse', 'HEAD']).trim()).toBe(earlier);
  });

  it('refuses a branch checked out in the user checkout, with a hint', async () => {
    const r = repo();
    r.git('checkout', '--quiet', '-b', 'feature/T-1');
    const error = await newWorktree(r, 'r-3').catch((e: unknown) => e);
    expect((error as AidevError).message).toMatch(/checked out in/);
    expect((error as AidevError).hint).toMatch(/switch your checkout/);
  });

  it('fails with a hint when asked not to reuse', async () => {
    const r = repo();
    r.git('branch', 'feature/T-1');
    const base = await resolveBaseBranch(r.root, { remote: 'origin', hasRemote: true }, options);
    const error = await addWorktree(
      {
        root: r.root,
        path: join(r.home, 'wt'),
        branch: 'feature/T-1',
        startPoint: base.startPoint,
        remote: 'origin',
        hasRemote: true,
        onExisting: 'fail',
      },
      options,
    ).catch((e: unknown) => e);
    expect((error as AidevError).hint).toMatch(/branch_template/);
  });

  it('works with no remote, from the local branch', async () => {
    const r = repo({ 'a.txt': 'x' }, { remote: false });
    const { base, wt } = await newWorktree(r, 'r-4');
    expect(base.startPoint).toBe('main');
    expect(existsSync(join(wt.path, 'a.txt'))).toBe(true);
  });

  it('removes the worktree but keeps the branch', async () => {
    const r = repo();
    const { wt } = await newWorktree(r, 'r-5');
    await removeWorktree(r.root, wt.path, options);
    expect(existsSync(wt.path)).toBe(false);
    expect(r.git('branch', '--list', 'feature/T-1').trim()).toContain('feature/T-1');
  });
});

describe('diff, commit and push', () => {
  it('diffs new and changed files, commits once with the trailer, and pushes to the bare remote', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    const { wt, base } = await newWorktree(r, 'r-6');
    writeFileSync(join(wt.path, 'a.txt'), 'two\n');
    writeFileSync(join(wt.path, 'b.txt'), 'new\n');
    await stageAll(wt.path, options);
    const diff = await stagedDiff(wt.path, options);
    expect(diff.files.sort()).toEqual(['a.txt', 'b.txt']);
    expect(diff.stat).toMatch(/2 files changed/);
    expect(diff.diff).toContain('+two');
    // The one-call split gives exactly what the separate commands print.
    expect(diff.stat).toBe(sh(wt.path, ['diff', '--cached', '--no-color', '--stat=100', 'HEAD']).trimEnd());
    expect(diff.diff).toBe(sh(wt.path, ['diff', '--cached', '--no-color', '--no-ext-diff', 'HEAD']));
    expect(await commonGitDir(wt.path, options)).toBe(realpathSync(join(r.root, '.git')));
    expect(await commonGitDir(r.root, options)).toBe(realpathSync(join(r.root, '.git')));
    const sha = await commitAll(wt.path, { subject: 'T-1: fix', runId: 'r-6' }, options);
    expect(sh(wt.path, ['log', '-1', '--format=%B']).trim()).toBe('T-1: fix\n\nAidev-Run: r-6');
    expect(await findRunCommit(wt.path, 'r-6', options, base.commit)).toBe(sha);
    expect(await findRunCommit(wt.path, 'r-other', options, base.commit)).toBeNull();
    await pushBranch({ cwd: wt.path, remote: 'origin', branch: 'feature/T-1' }, options);
    expect(sh(r.remote!, ['rev-parse', 'refs/heads/feature/T-1']).trim()).toBe(sha);
  });

  it('refuses to commit nothing', async () => {
    const r = repo();
    const { wt } = await newWorktree(r, 'r-7');
    await expect(commitAll(wt.path, { subject: 's', runId: 'r-7' }, options)).rejects.toThrow(
      /nothing to commit/,
    );
  });

  it('explains a rejected push', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    const { wt } = await newWorktree(r, 'r-8');
    // Someone else pushed the same branch name with other history.
    r.git('push', '--quiet', 'origin', 'main:refs/heads/feature/T-1');
    const other = tempDir();
    sh(other, ['clone', '--quiet', r.remote!, 'c']);
    writeFileSync(join(other, 'c', 'z.txt'), 'z');
    sh(join(other, 'c'), ['checkout', '--quiet', 'feature/T-1']);
    sh(join(other, 'c'), ['add', '-A']);
    sh(join(other, 'c'), ['commit', '--quiet', '-m', 'theirs']);
    sh(join(other, 'c'), ['push', '--quiet', 'origin', 'feature/T-1']);
    writeFileSync(join(wt.path, 'a.txt'), 'mine\n');
    await commitAll(wt.path, { subject: 'mine', runId: 'r-8' }, options);
    const error = (await pushBranch({ cwd: wt.path, remote: 'origin', branch: 'feature/T-1' }, options).catch(
      (e: unknown) => e,
    )) as AidevError;
    expect(error.code).toBe('GIT_ERROR');
    expect(error.message).toMatch(/rejected/);
    expect(error.hint).toMatch(/aidev resume/);
  });

  it('pushes from a worktree to a remote given as a relative path (relative to the main checkout)', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    r.git('remote', 'set-url', 'origin', '../remote.git');
    const { wt } = await newWorktree(r, 'r-rel');
    writeFileSync(join(wt.path, 'a.txt'), 'two\n');
    const sha = await commitAll(wt.path, { subject: 'rel', runId: 'r-rel' }, options);
    await pushBranch({ cwd: wt.path, remote: 'origin', branch: 'feature/T-1' }, options);
    expect(sh(r.remote!, ['rev-parse', 'refs/heads/feature/T-1']).trim()).toBe(sha);
  });

  it('explains a missing remote', async () => {
    const r = repo({}, { remote: false });
    const error = (await pushBranch({ cwd: r.root, remote: 'origin', branch: 'main' }, options).catch(
      (e: unknown) => e,
    )) as AidevError;
    expect(error.message).toMatch(/no git remote "origin"/);
  });
});

describe('credential helper', () => {
  it('answers git with the token from the environment, only for its host, and never puts it in the arguments', () => {
    const { args, env } = credentialHelperArgs({
      username: 'x-access-token',
      token: 's3cret-token',
      host: 'github.com',
    });
    expect(args.join(' ')).not.toContain('s3cret-token');
    const fill = (host: string): string =>
      execFileSync('git', [...args, 'credential', 'fill'], {
        input: `protocol=https\nhost=${host}\n\n`,
        env: { ...gitEnvForTests, ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false' },
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    expect(fill('github.com')).toContain('password=s3cret-token');
    expect(() => fill('evil.example.com')).toThrow();
  });
});

describe('gitFailure', () => {
  it('names the command without its -c settings, in the message and the hint', () => {
    const error = gitFailure(
      new Error('fatal: could not read from remote repository'),
      [...NO_AUTO_MAINTENANCE, 'fetch', '--quiet', 'origin'],
      '/repo',
    );
    expect(error.message).toBe(
      'git fetch --quiet origin failed in /repo: fatal: could not read from remote repository',
    );
    expect(error.hint).toBe('run `git fetch --quiet origin` in /repo to see the whole message');
  });
});
