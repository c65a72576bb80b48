// `aidev workflow …` and `aidev resume` through the built binary: validate's exit 2 with positions, an approval gate
// in CI (exit 4, then resume --approve / --reject), --yes recorded as automatic, and unknown names.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../src/core/ledger/index.js';
import { runCli, tempDir } from '../helpers/temp.js';

const GATED = `name: gated
inputs:
  task_id: {description: the task}
steps:
  - id: get
    uses: tasks.get
    with: {id: '\${inputs.task_id}'}
  - id: start
    uses: tasks.update_status
    with: {status: in_progress}
  - id: review
    approval: {message: 'Ship it?'}
  - id: comment
    uses: tasks.comment
    with: {body: 'shipped \${task.title}'}
`;

function project() {
  const dir = tempDir();
  mkdirSync(join(dir, '.aidev', 'tasks'), { recursive: true });
  mkdirSync(join(dir, '.aidev', 'workflows'), { recursive: true });
  writeFileSync(
    join(dir, '.aidev', 'tasks', 'TASK-1.md'),
    '---\nid: TASK-1\ntitle: Say hello\nstatus: todo\n---\n\nGreet.\n',
  );
  writeFileSync(join(dir, '.aidev', 'workflows', 'gated.yaml'), GATED);
  writeFileSync(
    join(dir, 'broken.yaml'),
    'name: broken\nsteps:\n  - id: a\n    uses: tasks.fetch\n  - id: a\n    run: 42\n',
  );
  const env = { AIDEV_HOME: join(dir, 'home') };
  const task = () => readFileSync(join(dir, '.aidev', 'tasks', 'TASK-1.md'), 'utf8');
  return { dir, env, task };
}

describe('aidev workflow (binary)', () => {
  it('validate reports every problem with file:line:col and exits 2', async () => {
    const { dir, env } = project();
    const r = await runCli(['workflow', 'validate', 'broken.yaml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    const file = join(dir, 'broken.yaml');
    expect(r.stderr).toContain(`${file}:4:5: unknown action "tasks.fetch" (did you mean "tasks.get"?)`);
    expect(r.stderr).toContain(`${file}:5:5: duplicate step id "a"`);
    expect(r.stderr).toContain(`${file}:6:5: run: takes the command as a string`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await runCli(['workflow', 'validate', 'broken.yaml', '--json'], { cwd: dir, env });
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { issues: unknown[] }).issues).toHaveLength(3);
  });

  it('list shows project workflows beside the shipped ones; show lists the steps', async () => {
    const { dir, env } = project();
    const list = await runCli(['workflow', 'list', '--json'], { cwd: dir, env });
    const names = (
      JSON.parse(list.stdout) as { workflows: { name: string; source: string }[] }
    ).workflows.map((w) => `${w.name}:${w.source}`);
    expect(names).toEqual(
      expect.arrayContaining(['gated:project', 'standard_dev:shipped', 'hotfix:shipped']),
    );
    const show = await runCli(['workflow', 'show', 'gated'], { cwd: dir, env });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/review\s+approval\s+Ship it\?/);
    const unknown = await runCli(['workflow', 'run', 'gatd', '--input', 'task_id=TASK-1'], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no workflow named "gatd" (did you mean "gated"?)');
  });

  it('in CI the gate pauses (exit 4, resumable); resume --approve finishes it', async () => {
    const { dir, env, task } = project();
    const paused = await runCli(['workflow', 'run', 'gated', '--input', 'task_id=TASK-1'], { cwd: dir, env });
    expect(paused.code, paused.stderr).toBe(4);
    const runId = /run (r-[\w-]+)/.exec(paused.stdout)![1]!;
    expect(paused.stdout).toContain(`continue with: aidev resume ${runId} --approve`);
    expect(task()).toMatch(/status: in_progress/);
    expect(task()).not.toContain('shipped Say hello');

    const done = await runCli(['resume', runId, '--approve'], { cwd: dir, env });
    expect(done.code, done.stderr).toBe(0);
    expect(task()).toContain('shipped Say hello');
    const ledger = openLedger({ home: env.AIDEV_HOME });
    expect(ledger.getRun(runId)!.status).toBe('succeeded');
    expect(
      ledger
        .listAudit(runId)
        .filter((a) => a.action === 'approval')
        .map((a) => a.decision),
    ).toEqual(['pending', 'approved']);
    ledger.close();
  });

  it('resume --reject stops with exit 5 and rolls the task status back', async () => {
    const { dir, env, task } = project();
    const paused = await runCli(['workflow', 'run', 'gated', '--input', 'task_id=TASK-1', '--json'], {
      cwd: dir,
      env,
    });
    expect(paused.code).toBe(4);
    const runId = (JSON.parse(paused.stdout) as { runId: string }).runId;
    const rejected = await runCli(['resume', runId, '--reject', '--feedback', 'not now'], { cwd: dir, env });
    expect(rejected.code).toBe(5);
    expect(rejected.stderr).toContain('rejected at step review');
    expect(task()).toMatch(/status: todo/);
  });

  it('--yes approves and the audit says it was automatic', async () => {
    const { dir, env, task } = project();
    const r = await runCli(['workflow', 'run', 'gated', '--input', 'task_id=TASK-1', '--yes', '--json'], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const runId = (JSON.parse(r.stdout) as { runId: string }).runId;
    expect(task()).toContain('shipped Say hello');
    const ledger = openLedger({ home: env.AIDEV_HOME });
    expect(
      ledger
        .listAudit(runId)
        .filter((a) => a.action === 'approval')
        .map((a) => a.decision),
    ).toEqual(['approved (automatic)']);
    ledger.close();
  });
});
