// `aidev run` on awkward repositories: no commits yet, a detached HEAD in the user's checkout, a shallow clone.
// Each works or stops with a message that says how to fix it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { AidevError } from '../../src/core/errors.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  tempDir,
  writeScript,
  type TempRepo,
} from './run-fixtures.js';

const CONFIG = 'verify:\n  checks: ["node --test"]\nsecurity:\n  sandbox: none\n';
const TASK = '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nTrim it.\n';
const script = [{ text: '1. Trim.' }, ...SLUG_SCRIPT, { text: 'Trims input.' }, { text: '# slugify' }];

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function run(root: string, dir: string, home: string): Promise<RunSummary> {
  const result = await runRun(
    {
      cwd: root,
      env: { ...gitEnvForTests, AIDEV_HOME: home },
      ids: ['TASK-1'],
      fakeResponses: writeScript(dir, script),
    },
    { approver: autoApprover },
  );
  if (result.kind !== 'runs') throw new Error('expected runs');
  return result.runs[0]!;
}

function writeTask(root: string): void {
  mkdirSync(join(root, '.aidev', 'tasks'), { recursive: true });
  writeFileSync(join(root, '.aidev', 'tasks', 'TASK-1.md'), TASK);
}

function repo(): TempRepo {
  const r = makeRepo({ ...SLUG_PROJECT, '.aidevrc.yaml': CONFIG, '.aidev/tasks/TASK-1.md': TASK });
  cleanups.push(r.cleanup);
  return r;
}

describe('awkward repositories', () => {
  it('a repository with no commits: a clear error naming the fix', async () => {
    const dir = tempDir();
    cleanups.push(() => execFileSync('rm', ['-rf', dir]));
    const root = join(dir, 'repo');
    mkdirSync(root);
    sh(root, ['init', '--quiet', '--initial-branch=main']);
    writeTask(root);
    writeFileSync(join(root, '.aidevrc.yaml'), CONFIG);
    const home = join(dir, 'home');
    mkdirSync(home);
    let failure: RunSummary | AidevError;
    try {
      failure = await run(root, dir, home);
    } catch (error) {
      failure = error as AidevError;
    }
    const message = failure instanceof AidevError ? failure.message : failure.error?.message;
    const hint = failure instanceof AidevError ? failure.hint : failure.error?.hint;
    expect(`${message} ${hint}`).toMatch(/no commits/i);
    expect(hint).toMatch(/git commit/);
  });

  it('a detached HEAD in the user checkout: the run works from the base branch and leaves HEAD detached', async () => {
    const r = repo();
    const head = r.git('rev-parse', 'HEAD').trim();
    r.git('checkout', '--quiet', '--detach', head);
    const done = await run(r.root, r.dir, r.home);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(r.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('HEAD');
  });

  it('a shallow clone: the run works (worktree from the shallow history, branch pushed)', async () => {
    const origin = repo();
    origin.write('CHANGELOG.md', 'two\n');
    origin.git('add', '-A');
    origin.git('commit', '--quiet', '-m', 'second');
    origin.git('push', '--quiet', 'origin', 'main');
    const dir = tempDir();
    cleanups.push(() => execFileSync('rm', ['-rf', dir]));
    const clone = join(dir, 'clone');
    sh(dir, ['clone', '--quiet', '--depth', '1', `file://${origin.remote!}`, clone]);
    expect(sh(clone, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');
    const home = join(dir, 'home');
    mkdirSync(home);
    writeTask(clone);
    const done = await run(clone, dir, home);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(sh(origin.remote!, ['rev-parse', 'feature/TASK-1']).trim()).toBe(done.commit);
  });
});
