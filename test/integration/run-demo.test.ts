// `aidev demo`: the shipped template project, solved end to end by the real standard_dev with the scripted model.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/commands/demo.js';
import { autoApprover } from '../../src/core/approvals.js';
import { sh, tempDir } from './run-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('aidev demo', () => {
  it('fixes the demo task end to end in its own folder, with its own AIDEV_HOME', async () => {
    const parent = tempDir('aidev-demo-test-');
    dirs.push(parent);
    const userHome = join(parent, 'user-aidev-home');
    // No git identity in the environment: the demo must not depend on the user's git config.
    const env = { PATH: process.env.PATH, HOME: parent, AIDEV_HOME: userHome, CI: '1' };
    const result = await runDemo({ cwd: parent, env, dir: 'demo' }, { approver: autoApprover });
    expect(result.run.status, JSON.stringify(result.run.error)).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(result.dir).toBe(join(parent, 'demo'));
    // The fix is on the remote branch, with the trailer, and its tests pass there.
    const message = sh(result.remote, ['log', '-1', '--format=%B', 'feature/TASK-1']);
    expect(message).toContain(`Aidev-Run: ${result.run.runId}`);
    expect(sh(result.remote, ['show', 'feature/TASK-1:src/slugify.js'])).toContain("normalize('NFKD')");
    expect(sh(result.remote, ['show', 'feature/TASK-1:test/slugify.test.js'])).toContain('drops accents');
    // PR file, task in review with the link, the checks that ran.
    expect(readFileSync(result.run.prUrl!, 'utf8')).toMatch(/head: feature\/TASK-1/);
    const task = readFileSync(result.taskFile, 'utf8');
    expect(task).toMatch(/status: in_review/);
    expect(task).toContain(result.run.prUrl!);
    expect(result.run.checks).toMatch(/node --test: passed/);
    // Nothing outside the demo folder: the user's AIDEV_HOME (ledger, worktrees) is untouched.
    expect(existsSync(userHome)).toBe(false);
    expect(existsSync(join(result.home, 'ledger.db'))).toBe(true);
    expect(result.look.map((l) => l.what)).toEqual(
      expect.arrayContaining(['the project', 'the pull request', 'the branch on the remote']),
    );
  });

  it('refuses a folder that is not empty', async () => {
    const parent = tempDir('aidev-demo-test-');
    dirs.push(parent);
    writeFileSync(join(parent, 'precious.txt'), 'mine');
    await expect(
      runDemo({ cwd: parent, env: { PATH: process.env.PATH }, dir: '.' }, { approver: autoApprover }),
    ).rejects.toThrow(/is not empty/);
  });
});
