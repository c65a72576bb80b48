// `aidev run` end to end through runRun: real git (a temp repo with a bare remote), the real standard_dev workflow,
// the local providers and the scripted fake model.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autoApprover, nonInteractiveApprover } from '../../src/core/approvals.js';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import type { RunEvent } from '../../src/core/events.js';
import { openLedger } from '../../src/core/ledger/index.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  writeScript,
  type TempRepo,
} from './run-fixtures.js';

const CONFIG = 'verify:\n  checks: ["node --test"]\nsecurity:\n  sandbox: none\n';
let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function setup(opts: { remote?: boolean } = {}) {
  const r = makeRepo({ ...SLUG_PROJECT, '.aidevrc.yaml': CONFIG }, opts);
  repos.push(r);
  const task = join(r.root, '.aidev', 'tasks', 'TASK-1.md');
  r.write(
    '.aidev/tasks/TASK-1.md',
    '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n',
  );
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home };
  return { r, task, env };
}

const fullScript = (agent: unknown[] = SLUG_SCRIPT): unknown[] => [
  { text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' },
  ...agent,
  { text: 'Trims input in slugify so surrounding spaces no longer become dashes.' },
  { text: '# slugify\n\n`slugify` now ignores surrounding spaces.' },
];

describe('aidev run', () => {
  it('takes a task to a pushed branch, a PR record, an in_review task with the PR link, docs and a ledger row', async () => {
    const { r, env, task } = setup();
    const script = writeScript(r.dir, fullScript());
    const events: RunEvent[] = [];
    // Tracked files and the index of the user's checkout (untracked output such as a local docs page aside).
    const statusBefore = r.git('status', '--porcelain', '--untracked-files=no');
    const indexBefore = r.git('ls-files', '--stage');
    const result = await runRun({
      cwd: r.root,
      env,
      ids: ['TASK-1'],
      fakeResponses: script,
      approver: autoApprover,
      emit: (e) => events.push(e),
    });
    expect(result.kind).toBe('runs');
    if (result.kind !== 'runs') return;
    const run = result.runs[0]!;
    expect(run, JSON.stringify(run.error)).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      branch: 'feature/TASK-1',
      worktreeKept: false,
    });
    // One commit on the remote branch, with the trailer.
    const log = sh(r.remote!, ['log', '--format=%s%n%b---', 'main..feature/TASK-1']);
    expect(log.match(/---/g)).toHaveLength(1);
    expect(log).toContain(`Aidev-Run: ${run.runId}`);
    expect(sh(r.remote!, ['rev-parse', 'feature/TASK-1']).trim()).toBe(run.commit);
    expect(sh(r.remote!, ['show', 'feature/TASK-1:src/slugify.js'])).toContain('text.trim().toLowerCase()');
    // The PR record, the task in review with the link, the docs page.
    expect(run.prUrl).toBeTruthy();
    expect(existsSync(run.prUrl!)).toBe(true);
    const taskText = readFileSync(task, 'utf8');
    expect(taskText).toMatch(/status: in_review/);
    expect(taskText).toContain(`Pull request: ${run.prUrl}`);
    // The worktree is gone after success; the user's checkout is as it was.
    expect(existsSync(run.worktree!)).toBe(false);
    expect(r.git('branch', '--show-current').trim()).toBe('main');
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe(statusBefore);
    expect(r.git('ls-files', '--stage')).toBe(indexBefore);
    // The ledger has the run with its cost.
    const ledger = openLedger({ home: r.home });
    const row = ledger.getRun(run.runId)!;
    expect(row.status).toBe('succeeded');
    expect(row.costUsd).toBeGreaterThan(0);
    expect(run.costUsd).toBe(row.costUsd);
    // The docs page: in the repository (local docs provider), either on the branch or in the checkout.
    const docs = ledger.listSteps(run.runId).find((st) => st.stepId === 'docs')!;
    expect(docs.status).toBe('succeeded');
    const page = String((docs.outputs as { url: string }).url);
    const onBranch = sh(r.remote!, ['ls-tree', '-r', '--name-only', 'feature/TASK-1'])
      .split('\n')
      .includes(page);
    expect(onBranch || existsSync(join(r.root, page))).toBe(true);
    expect(
      ledger.listAudit(run.runId).some((a) => a.action === 'tool.edit_file' && a.decision === 'ok'),
    ).toBe(true);
    ledger.close();
    expect(events.some((e) => e.type === 'run.finished' && e.status === 'succeeded')).toBe(true);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const { r, env } = setup();
    const before = r.git('for-each-ref');
    const result = await runRun({
      cwd: r.root,
      env,
      ids: ['TASK-1'],
      dryRun: true,
      fakeResponses: '/nonexistent.jsonl',
      approver: autoApprover,
    });
    expect(result.kind).toBe('plan');
    if (result.kind !== 'plan') return;
    expect(result.plan.tasks[0]).toMatchObject({
      id: 'TASK-1',
      branch: 'feature/TASK-1',
      branchExists: false,
    });
    expect(result.plan.tasks[0]!.estimate!.typical).toBeGreaterThan(0);
    expect(result.plan.steps.map((s) => s.id)).toContain('implement');
    expect(r.git('for-each-ref')).toBe(before);
    expect(existsSync(join(r.home, 'ledger.db'))).toBe(false);
    expect(existsSync(join(r.home, 'worktrees'))).toBe(false);
  });

  it('an unknown task id is a clear error', async () => {
    const { r, env } = setup();
    await expect(
      runRun({ cwd: r.root, env, ids: ['TASK-99'], fakeResponses: 'x.jsonl', approver: autoApprover }),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
  });

  it('outside a git repository it says NOT_A_GIT_REPO', async () => {
    const { r, env } = setup();
    const outside = join(r.dir, 'home');
    await expect(
      runRun({ cwd: outside, env, ids: ['TASK-1'], approver: autoApprover }),
    ).rejects.toMatchObject({ code: 'NOT_A_GIT_REPO' });
  });

  it('without --yes in CI it pauses at the review gate (exit 4) and keeps the worktree', async () => {
    const { r, env } = setup();
    const script = writeScript(r.dir, fullScript());
    const result = await runRun({
      cwd: r.root,
      env,
      ids: ['TASK-1'],
      fakeResponses: script,
      approver: nonInteractiveApprover,
    });
    if (result.kind !== 'runs') throw new Error('expected runs');
    const run: RunSummary = result.runs[0]!;
    expect(run).toMatchObject({ status: 'awaiting_approval', exitCode: 4, worktreeKept: true });
    expect(run.next).toMatch(/aidev resume .* --approve/);
    expect(existsSync(join(run.worktree!, 'src/slugify.js'))).toBe(true);
    expect(sh(r.remote!, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']).trim()).toBe('main');
  });

  it('works with no remote: the push step fails clearly and the worktree is kept', async () => {
    const { r, env } = setup({ remote: false });
    const script = writeScript(r.dir, fullScript());
    const result = await runRun({
      cwd: r.root,
      env,
      ids: ['TASK-1'],
      fakeResponses: script,
      approver: autoApprover,
    });
    if (result.kind !== 'runs') throw new Error('expected runs');
    const run = result.runs[0]!;
    expect(run.status).toBe('failed');
    expect(run.error!.message).toMatch(/no git remote "origin"/);
    expect(run.worktreeKept).toBe(true);
    expect(readdirSync(join(r.home, 'worktrees', 'repo'))).toEqual([run.runId]);
  });
});
