// The built binary: `aidev watch` as cron and CI run it (--once, NDJSON), a real SIGTERM mid-run (exit 130, then a
// restart resumes the run without repeating its finished step), and `aidev ledger export|import` between two homes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitEnvForTests, makeRepo, type TempRepo } from '../integration/run-fixtures.js';
import { binPath, runCli } from '../helpers/temp.js';

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function setup() {
  // The workflow makes no model call; the scripted model is there because a run checks its provider first.
  const r = makeRepo({
    '.aidevrc.yaml':
      'security:\n  sandbox: none\nai:\n  provider: fake\n  fake:\n    responses: model.jsonl\n',
    'model.jsonl': '{"text":"unused"}\n',
  });
  repos.push(r);
  const log = join(r.dir, 'ran.log');
  const gate = join(r.dir, 'go');
  r.write(
    '.aidev/tasks/TASK-1.md',
    '---\nid: TASK-1\ntitle: one\nstatus: todo\nlabels: [aidev]\n---\n\nbody\n',
  );
  r.write(
    '.aidev/tasks/TASK-2.md',
    '---\nid: TASK-2\ntitle: two\nstatus: todo\nlabels: [slow]\n---\n\nbody\n',
  );
  // The `slow` task waits at its work step until the test opens the gate.
  const work = `if [ "$TASK" = TASK-2 ]; then while [ ! -f "${gate}" ]; do sleep 0.02; done; fi; echo "$TASK" >> "${log}"`;
  r.write(
    '.aidev/workflows/watch_test.yaml',
    [
      'name: watch_test',
      'inputs:',
      '  task_id: {required: true, description: the task}',
      'steps:',
      '  - id: get',
      '    uses: tasks.get',
      '    with: {id: "${inputs.task_id}"}',
      '  - id: work',
      `    run: '${work}'`,
      '    with: {TASK: "${task.id}"}',
      '  - id: finish',
      '    uses: tasks.update_status',
      '    with: {status: in_review}',
      '',
    ].join('\n'),
  );
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home };
  return { r, log, gate, env };
}

const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('aidev watch (binary)', () => {
  it('--once --output stream-json: NDJSON events, then the result; runs only the labelled task', async () => {
    const { r, log, env } = setup();
    const out = await runCli(
      ['watch', '--once', '--label', 'aidev', '--workflow', 'watch_test', '--output', 'stream-json'],
      {
        cwd: r.root,
        env,
      },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = events(out.stdout);
    expect(lines.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'watch.started',
        'watch.polled',
        'watch.claimed',
        'run.started',
        'run.finished',
        'watch.run_finished',
      ]),
    );
    expect(lines.at(-1)).toMatchObject({ type: 'result', claimed: ['TASK-1'], exitCode: 0 });
    expect(readFileSync(log, 'utf8')).toBe('TASK-1\n');
  });

  it('without an assignee or label it says what to set (exit 2), with no stack trace', async () => {
    const { r, env } = setup();
    const out = await runCli(['watch', '--once'], { cwd: r.root, env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('error: aidev watch needs an assignee or a label');
    expect(out.stderr).toContain('hint: set watch.assignee');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('SIGTERM mid-run: the running step reaches its checkpoint, exit 130; the next start resumes the run', async () => {
    const { r, log, gate, env } = setup();
    const child = spawn(
      process.execPath,
      [
        binPath,
        'watch',
        '--label',
        'slow',
        '--interval',
        '1',
        '--workflow',
        'watch_test',
        '--output',
        'stream-json',
      ],
      {
        cwd: r.root,
        env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && stdout.includes('"type":"step.started"') && stdout.includes('"stepId":"work"')) {
        signalled = true;
        child.kill('SIGTERM');
        // Opened only after the signal: the step can finish only during the grace period.
        setTimeout(() => writeFileSync(gate, ''), 200);
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    const result = events(stdout).at(-1)!;
    expect(result).toMatchObject({ type: 'result', stoppedBy: 'SIGTERM', exitCode: 130 });
    expect(result.runs).toEqual([expect.objectContaining({ taskId: 'TASK-2', status: 'interrupted' })]);
    expect(readFileSync(log, 'utf8')).toBe('TASK-2\n');

    const again = await runCli(
      ['watch', '--once', '--label', 'slow', '--workflow', 'watch_test', '--output', 'json'],
      {
        cwd: r.root,
        env,
      },
    );
    expect(again.code).toBe(0);
    const resumed = JSON.parse(again.stdout) as {
      runs: { resumed: boolean; status: string }[];
      claimed: string[];
    };
    expect(resumed.runs).toEqual([expect.objectContaining({ resumed: true, status: 'succeeded' })]);
    expect(resumed.claimed).toEqual([]);
    expect(readFileSync(log, 'utf8')).toBe('TASK-2\n');
    expect(readFileSync(join(r.root, '.aidev/tasks/TASK-2.md'), 'utf8')).toMatch(/status: in_review/);
  });
});

describe('aidev ledger export|import (binary)', () => {
  it('moves history from one home to another, idempotently', async () => {
    const { r, env } = setup();
    await runCli(['watch', '--once', '--label', 'aidev', '--workflow', 'watch_test', '--json'], {
      cwd: r.root,
      env,
    });
    const file = join(r.dir, 'history.jsonl');
    const exported = await runCli(['ledger', 'export', '--file', file, '--json'], { cwd: r.root, env });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ rows: { runs: 1 } });
    const other = { ...env, AIDEV_HOME: join(r.dir, 'other-home') };
    const first = await runCli(['ledger', 'import', '--file', file, '--json'], { cwd: r.root, env: other });
    expect(JSON.parse(first.stdout)).toMatchObject({ tables: { runs: { inserted: 1 } } });
    const second = await runCli(['ledger', 'import', '--file', file], { cwd: r.root, env: other });
    expect(second.stdout).toContain('runs         0 new, 0 updated, 1 already there');
    const listed = await runCli(['runs', 'list', '--json'], { cwd: r.root, env: other });
    expect(JSON.parse(listed.stdout)).toMatchObject({
      runs: [expect.objectContaining({ taskId: 'TASK-1' })],
    });
    // stdout export is pure JSONL, its summary on stderr
    const piped = await runCli(['ledger', 'export'], { cwd: r.root, env });
    expect(piped.stdout.split('\n')[0]).toContain('"aidev":"ledger-export"');
    expect(piped.stderr).toMatch(/^exported \d+ rows/);
    expect(existsSync(file)).toBe(true);
  });
});
