// `aidev run` through runRun: real git (a temp repo with a bare remote), the real standard_dev workflow, the local
// providers and the scripted fake model.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover, nonInteractiveApprover } from '../../src/core/approvals.js';
import type { RunEvent } from '../../src/core/events.js';
import { openLedger } from '../../src/core/ledger/index.js';
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
let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function setup(opts: { remote?: boolean; tasks?: number } = {}) {
  const r = makeRepo({ ...SLUG_PROJECT, '.aidevrc.yaml': CONFIG }, opts);
  repos.push(r);
  for (let n = 1; n <= (opts.tasks ?? 1); n++) {
    r.write(
      `.aidev/tasks/TASK-${n}.md`,
      `---\nid: TASK-${n}\ntitle: slugify ignores surrounding spaces (${n})\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n`,
    );
  }
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home };
  return { r, task: join(r.root, '.aidev', 'tasks', 'TASK-1.md'), env };
}

/** standard_dev asks the model for: the plan, the agent's turns, the PR description, the docs page. */
export const fullScript = (agent: unknown[] = SLUG_SCRIPT): unknown[] => [
  { text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' },
  ...agent,
  { text: 'Trims input in slugify so surrounding spaces no longer become dashes.' },
  { text: '# slugify\n\n`slugify` now ignores surrounding spaces.' },
];

function only(result: Awaited<ReturnType<typeof runRun>>): RunSummary {
  if (result.kind !== 'runs') throw new Error('expected runs, got a plan');
  return result.runs[0]!;
}

describe('aidev run', () => {
  it('takes a task to a pushed branch, a PR record, an in_review task with the PR link, docs and a ledger row; a dirty checkout stays untouched', async () => {
    const { r, env, task } = setup();
    // The user is in the middle of something: an edited tracked file and a staged new file.
    r.write('README-local.md', 'wip\n');
    r.git('add', 'README-local.md');
    r.write('src/slugify.js', SLUG_PROJECT['src/slugify.js'] + '// my own edit\n');
    const statusBefore = r.git('status', '--porcelain', '--untracked-files=no');
    const indexBefore = r.git('ls-files', '--stage');
    const script = writeScript(r.dir, fullScript());
    const events: RunEvent[] = [];
    const run = only(
      await runRun(
        { cwd: r.root, env, ids: ['TASK-1'], fakeResponses: script },
        { approver: autoApprover, emit: (e) => events.push(e) },
      ),
    );
    expect(run, JSON.stringify(run.error)).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      branch: 'feature/TASK-1',
      worktreeKept: false,
    });
    // One commit on the remote branch, with the trailer, holding the fix (and not the user's own edit).
    const log = sh(r.remote!, ['log', '--format=%s%n%b---', 'main..feature/TASK-1']);
    expect(log.match(/---/g)).toHaveLength(1);
    expect(log).toContain(`Aidev-Run: ${run.runId}`);
    expect(sh(r.remote!, ['rev-parse', 'feature/TASK-1']).trim()).toBe(run.commit);
    const shipped = sh(r.remote!, ['show', 'feature/TASK-1:src/slugify.js']);
    expect(shipped).toContain('text.trim().toLowerCase()');
    expect(shipped).not.toContain('my own edit');
    // The PR record, the task in review with the link.
    expect(run.prUrl && existsSync(run.prUrl)).toBeTruthy();
    const taskText = readFileSync(task, 'utf8');
    expect(taskText).toMatch(/status: in_review/);
    expect(taskText).toContain(`Pull request: ${run.prUrl}`);
    // The worktree is gone after success; the user's checkout and index are as they were.
    expect(existsSync(run.worktree!)).toBe(false);
    expect(r.git('branch', '--show-current').trim()).toBe('main');
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe(statusBefore);
    expect(r.git('ls-files', '--stage')).toBe(indexBefore);
    expect(readFileSync(join(r.root, 'src/slugify.js'), 'utf8')).toContain('my own edit');
    // The ledger: the run with its cost, the docs step, the tool calls.
    const ledger = openLedger({ home: r.home });
    try {
      const row = ledger.getRun(run.runId)!;
      expect(row.status).toBe('succeeded');
      expect(row.costUsd).toBeGreaterThan(0);
      expect(run.costUsd).toBe(row.costUsd);
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
    } finally {
      ledger.close();
    }
    expect(events.some((e) => e.type === 'run.finished' && e.status === 'succeeded')).toBe(true);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const { r, env } = setup();
    const before = r.git('for-each-ref');
    const result = await runRun(
      { cwd: r.root, env, ids: ['TASK-1'], dryRun: true, fakeResponses: '/nonexistent.jsonl' },
      { approver: autoApprover },
    );
    if (result.kind !== 'plan') throw new Error('expected a plan');
    expect(result.plan.tasks[0]).toMatchObject({
      id: 'TASK-1',
      branch: 'feature/TASK-1',
      branchExists: false,
      openPullRequest: null,
    });
    expect(result.plan.tasks[0]!.estimate!.typical).toBeGreaterThan(0);
    expect(result.plan.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['branch', 'implement', 'review', 'commit', 'push', 'pr']),
    );
    expect(r.git('for-each-ref')).toBe(before);
    expect(existsSync(join(r.home, 'ledger.db'))).toBe(false);
    expect(existsSync(join(r.home, 'worktrees'))).toBe(false);
  });

  it('an unknown task id is a clear error', async () => {
    const { r, env } = setup();
    await expect(
      runRun({ cwd: r.root, env, ids: ['TASK-99'], fakeResponses: 'x.jsonl' }, { approver: autoApprover }),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
  });

  it('a missing model key fails before anything changes', async () => {
    const { r, env } = setup();
    const before = r.git('for-each-ref');
    const noKey = { ...env, ANTHROPIC_API_KEY: undefined };
    await expect(
      runRun({ cwd: r.root, env: noKey, ids: ['TASK-1'] }, { approver: autoApprover }),
    ).rejects.toMatchObject({ code: 'ENV_MISSING' });
    expect(r.git('for-each-ref')).toBe(before);
    expect(readFileSync(join(r.root, '.aidev', 'tasks', 'TASK-1.md'), 'utf8')).toMatch(/status: todo/);
    expect(existsSync(join(r.home, 'worktrees'))).toBe(false);
  });

  it('outside a git repository it says NOT_A_GIT_REPO', async () => {
    const { env } = setup();
    const outside = tempDir();
    await expect(
      runRun({ cwd: outside, env, ids: ['TASK-1'] }, { approver: autoApprover }),
    ).rejects.toMatchObject({ code: 'NOT_A_GIT_REPO' });
  });

  it('without --yes in CI it pauses at the review gate (exit 4), keeps the worktree and pushes nothing', async () => {
    const { r, env } = setup();
    const script = writeScript(r.dir, fullScript());
    const run = only(
      await runRun(
        { cwd: r.root, env, ids: ['TASK-1'], fakeResponses: script },
        { approver: nonInteractiveApprover },
      ),
    );
    expect(run).toMatchObject({ status: 'awaiting_approval', exitCode: 4, worktreeKept: true });
    expect(run.next).toMatch(/aidev resume .* --approve/);
    expect(readFileSync(join(run.worktree!, 'src/slugify.js'), 'utf8')).toContain('trim()');
    expect(sh(r.remote!, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']).trim()).toBe('main');
  });

  it('with no remote the push fails clearly and the worktree is kept', async () => {
    const { r, env } = setup({ remote: false });
    const script = writeScript(r.dir, fullScript());
    const run = only(
      await runRun({ cwd: r.root, env, ids: ['TASK-1'], fakeResponses: script }, { approver: autoApprover }),
    );
    expect(run.status).toBe('failed');
    expect(run.error!.message).toMatch(/no git remote "origin"/);
    expect(run.error!.hint).toMatch(/git remote add origin/);
    expect(run.worktreeKept).toBe(true);
    expect(readdirSync(join(r.home, 'worktrees', 'repo'))).toEqual([run.runId]);
  });

  it('a rejected push says why and how to go on', async () => {
    const { r, env } = setup();
    // Someone else already pushed feature/TASK-1 with a commit this run does not have.
    const other = join(r.dir, 'other');
    sh(r.dir, ['clone', '--quiet', r.remote!, other]);
    sh(other, ['checkout', '--quiet', '-b', 'feature/TASK-1']);
    writeFileSync(join(other, 'theirs.txt'), 'theirs\n');
    sh(other, ['add', '-A']);
    sh(other, ['commit', '--quiet', '-m', 'theirs']);
    sh(other, ['push', '--quiet', 'origin', 'feature/TASK-1']);
    // The local branch exists too, from before their push: the run reuses it and cannot fast-forward the remote.
    r.git('branch', 'feature/TASK-1');
    const script = writeScript(r.dir, fullScript());
    const run = only(
      await runRun({ cwd: r.root, env, ids: ['TASK-1'], fakeResponses: script }, { approver: autoApprover }),
    );
    expect(run.status).toBe('failed');
    expect(run.error!.message).toMatch(/rejected/);
    expect(run.error!.hint).toMatch(/aidev resume/);
    expect(run.worktreeKept).toBe(true);
  });

  it('a task already in review with an open PR: the plan says so, and the run updates that PR instead of opening another', async () => {
    const { r, env } = setup();
    const first = only(
      await runRun(
        { cwd: r.root, env, ids: ['TASK-1'], fakeResponses: writeScript(r.dir, fullScript(), 'one.jsonl') },
        { approver: autoApprover },
      ),
    );
    expect(first.status).toBe('succeeded');
    const plan = await runRun(
      { cwd: r.root, env, ids: ['TASK-1'], dryRun: true, fakeResponses: 'x.jsonl' },
      { approver: autoApprover },
    );
    if (plan.kind !== 'plan') throw new Error('expected a plan');
    expect(plan.plan.tasks[0]).toMatchObject({
      status: 'in_review',
      branchExists: true,
      openPullRequest: first.prUrl,
    });
    expect(plan.plan.tasks[0]!.notes.join('\n')).toMatch(/updates it instead of opening another/);
    // A second run on top of the first: another small change, pushed as a fast-forward, same PR file.
    const again = [
      {
        tool: 'edit_file',
        input: {
          path: 'src/slugify.js',
          old_string: 'export function slugify',
          new_string: '// Slugs for URLs.\nexport function slugify',
        },
      },
      { tool: 'finish', input: { summary: 'documented slugify' } },
    ];
    const second = only(
      await runRun(
        {
          cwd: r.root,
          env,
          ids: ['TASK-1'],
          fakeResponses: writeScript(r.dir, fullScript(again), 'two.jsonl'),
        },
        { approver: autoApprover },
      ),
    );
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    expect(second.prUrl).toBe(first.prUrl);
    expect(readdirSync(join(r.root, '.aidev', 'pull-requests'))).toHaveLength(1);
    expect(sh(r.remote!, ['rev-list', '--count', 'main..feature/TASK-1']).trim()).toBe('2');
  });

  it('--parallel runs several tasks, each in its own worktree', async () => {
    const { r, env } = setup({ tasks: 3 });
    r.write('.aidevrc.yaml', `${CONFIG}git:\n  branch_template: "fix/{{task.id}}"\n`);
    r.git('add', '.aidevrc.yaml');
    r.git('commit', '--quiet', '-m', 'config');
    r.git('push', '--quiet', 'origin', 'main');
    // One script serves all three runs: each run's provider instance replays it from the start.
    const script = writeScript(r.dir, fullScript());
    const result = await runRun(
      { cwd: r.root, env, ids: ['TASK-1', 'TASK-2', 'TASK-3'], parallel: 3, fakeResponses: script },
      { approver: autoApprover },
    );
    if (result.kind !== 'runs') throw new Error('expected runs');
    expect(result.runs.map((x) => [x.taskId, x.status, x.branch])).toEqual([
      ['TASK-1', 'succeeded', 'fix/TASK-1'],
      ['TASK-2', 'succeeded', 'fix/TASK-2'],
      ['TASK-3', 'succeeded', 'fix/TASK-3'],
    ]);
    expect(new Set(result.runs.map((x) => x.worktree)).size).toBe(3);
    expect(result.exitCode).toBe(0);
    expect(result.result.costUsd).toBeCloseTo(
      result.runs.reduce((s, x) => s + x.costUsd, 0),
      10,
    );
  });
});
