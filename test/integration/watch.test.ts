// `aidev watch` through runWatch: a real temp repo, the local tracker, the real engine with a small workflow whose
// `run:` step appends to a log (so "ran exactly once" is counted, not assumed), and a real SQLite ledger.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWatch, watchSettingsOf, type WatchOptions } from '../../src/commands/watch.js';
import { autoApprover, nonInteractiveApprover, type Approver } from '../../src/core/approvals.js';
import type { AidevError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/core/events.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { openSession } from '../../src/core/session.js';
import { claimTask } from '../../src/core/watch/claim.js';
import type { WatchEvent } from '../../src/core/watch/types.js';
import { findPostgres, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { gitEnvForTests, makeRepo, type TempRepo } from './run-fixtures.js';

const postgres = findPostgres();
let server: PostgresServer | undefined;
beforeAll(async () => {
  if (postgres.ok) server = await startPostgres(postgres.bin);
}, 120_000);
afterAll(() => server?.stop());

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

interface Setup {
  r: TempRepo;
  log: string;
  gate: string;
  base: WatchOptions;
  taskFile(id: string): string;
}

function setup(opts: { approval?: boolean; gate?: boolean } = {}): Setup {
  // The workflow makes no model call; the scripted model is there because a run checks its provider first.
  const r = makeRepo({
    '.aidevrc.yaml':
      'security:\n  sandbox: none\nai:\n  provider: fake\n  fake:\n    responses: model.jsonl\n',
    'model.jsonl': '{"text":"unused"}\n',
    '.gitignore': '.aidev/runs/\n',
  });
  repos.push(r);
  const log = join(r.dir, 'ran.log');
  const gate = join(r.dir, 'go');
  const task = (id: string, fm: string) =>
    r.write(`.aidev/tasks/${id}.md`, `---\nid: ${id}\ntitle: task ${id}\n${fm}\n---\n\nbody\n`);
  task('TASK-1', 'status: todo\nlabels: [aidev]');
  task('TASK-2', 'status: todo\nlabels: [aidev, backend]');
  task('TASK-3', 'status: todo\nassignee: aidev-bot\nlabels: [aidev]');
  task('TASK-4', 'status: todo\nlabels: [frontend]'); // no label: not for the watcher
  task('TASK-5', 'status: in_progress\nlabels: [aidev]'); // someone is on it
  const wait = opts.gate ? `while [ ! -f "${gate}" ]; do sleep 0.02; done; ` : '';
  const steps = [
    '  - id: get\n    uses: tasks.get\n    with: {id: "${inputs.task_id}"}',
    `  - id: work\n    run: '${wait}echo "$TASK" >> "${log}"'\n    with: {TASK: "\${task.id}"}`,
    ...(opts.approval ? ['  - id: review\n    approval: {message: "Ship it?"}'] : []),
    '  - id: finish\n    uses: tasks.update_status\n    with: {status: in_review}',
  ];
  r.write(
    '.aidev/workflows/watch_test.yaml',
    `name: watch_test\ninputs:\n  task_id: {required: true, description: the task}\nsteps:\n${steps.join('\n')}\n`,
  );
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home, AIDEV_NO_CONFIG_CACHE: '1', CI: '1' };
  return {
    r,
    log,
    gate,
    base: { cwd: r.root, env, once: true, label: 'aidev', workflow: 'watch_test' },
    taskFile: (id) => readFileSync(join(r.root, '.aidev', 'tasks', `${id}.md`), 'utf8'),
  };
}

function hooks(
  options: { approver?: Approver; stop?: AbortController; onEvent?: (e: WatchEvent | RunEvent) => void } = {},
) {
  const events: (WatchEvent | RunEvent)[] = [];
  const stop = options.stop ?? new AbortController();
  return {
    events,
    hooks: {
      approver: options.approver ?? autoApprover,
      stop: stop.signal,
      random: () => 0.5,
      emit: (e: WatchEvent | RunEvent) => {
        events.push(e);
        options.onEvent?.(e);
      },
    },
  };
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').sort() : [];

describe('aidev watch --once', () => {
  it('claims and runs only the matching todo tasks, each with a claim comment naming its run', async () => {
    const s = setup();
    const { events, hooks: h } = hooks();
    const result = await runWatch(s.base, h);
    expect(result.exitCode).toBe(0);
    expect(result.claimed.sort()).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
    expect(lines(s.log)).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
    for (const run of result.runs) {
      expect(run.status).toBe('succeeded');
      const file = s.taskFile(run.taskId);
      expect(file).toContain(`picked up by aidev, run ${run.runId}`);
      expect(file).toMatch(/status: in_review/);
    }
    expect(s.taskFile('TASK-4')).toMatch(/status: todo/);
    expect(s.taskFile('TASK-5')).not.toContain('picked up by aidev');
    const claimed = events.filter((e) => e.type === 'watch.claimed');
    const started = events.filter(
      (e): e is Extract<RunEvent, { type: 'run.started' }> => e.type === 'run.started',
    );
    // The run the comment names is the run that ran.
    expect(started.map((e) => e.runId).sort()).toEqual(
      claimed.map((e) => (e as { runId: string }).runId).sort(),
    );
    expect(events.at(-1)).toMatchObject({ type: 'watch.cost', monthlyBudgetUsd: 500 });

    // A second poll finds nothing new: claimed tasks are no longer todo, and nothing runs twice.
    const again = await runWatch(s.base, hooks().hooks);
    expect(again.claimed).toEqual([]);
    expect(lines(s.log)).toHaveLength(3);
  });

  it('without a model key it stops before claiming anything', async () => {
    const s = setup();
    const env = { ...s.base.env, ANTHROPIC_API_KEY: '' };
    const error = (await runWatch(
      { ...s.base, env, overrides: { ai: { provider: 'anthropic' } } },
      hooks().hooks,
    ).catch((e: unknown) => e)) as AidevError;
    expect(error.code).toBe('ENV_MISSING');
    expect(s.taskFile('TASK-1')).toMatch(/status: todo/);
    expect(s.taskFile('TASK-1')).not.toContain('picked up by aidev');
  });

  it('filters by assignee as well as label', async () => {
    const s = setup();
    const result = await runWatch({ ...s.base, assignee: 'aidev-bot' }, hooks().hooks);
    expect(result.claimed).toEqual(['TASK-3']);
  });

  it('two watchers started at once on the same tracker and ledger run each task exactly once', async () => {
    const s = setup();
    const [a, b] = await Promise.all([runWatch(s.base, hooks().hooks), runWatch(s.base, hooks().hooks)]);
    expect([...a.claimed, ...b.claimed].sort()).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
    expect(lines(s.log)).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
    for (const id of ['TASK-1', 'TASK-2', 'TASK-3'])
      expect(s.taskFile(id).match(/picked up by aidev/g)).toHaveLength(1);
  });

  it('leaves a run that needs approval awaiting_approval, announces it and moves on', async () => {
    const s = setup({ approval: true });
    const { events, hooks: h } = hooks({ approver: nonInteractiveApprover });
    const result = await runWatch(s.base, h);
    expect(result.exitCode).toBe(0);
    expect(result.runs.map((r) => r.status)).toEqual([
      'awaiting_approval',
      'awaiting_approval',
      'awaiting_approval',
    ]);
    const announced = events.filter((e) => e.type === 'watch.approval_needed');
    expect(announced).toHaveLength(3);
    expect(announced[0]).toMatchObject({ next: expect.stringContaining('aidev resume') });
    expect(s.taskFile('TASK-1')).toMatch(/status: in_progress/);
  });

  it('on SIGTERM mid-run lets the step reach its checkpoint, exits 130, and a restart resumes without repeating it', async () => {
    const s = setup({ gate: true });
    const stop = new AbortController();
    const first = hooks({
      stop,
      onEvent: (e) => {
        // Stop once the first task's slow step is running, then let that step finish.
        if (e.type === 'step.started' && e.stepId === 'work' && !stop.signal.aborted) {
          stop.abort('SIGTERM');
          writeFileSync(s.gate, '');
        }
      },
    });
    const stopped = await runWatch({ ...s.base, label: 'backend' }, first.hooks);
    expect(stopped.exitCode).toBe(130);
    expect(stopped.stoppedBy).toBe('SIGTERM');
    expect(stopped.runs).toEqual([expect.objectContaining({ taskId: 'TASK-2', status: 'interrupted' })]);
    expect(lines(s.log)).toEqual(['TASK-2']); // the step finished: the grace period let it reach its checkpoint
    const runId = stopped.runs[0]!.runId;

    const restarted = await runWatch({ ...s.base, label: 'backend' }, hooks().hooks);
    expect(restarted.runs).toEqual([
      expect.objectContaining({ runId, taskId: 'TASK-2', resumed: true, status: 'succeeded' }),
    ]);
    expect(restarted.claimed).toEqual([]);
    expect(lines(s.log)).toEqual(['TASK-2']); // not run again
    expect(s.taskFile('TASK-2').match(/picked up by aidev/g)).toHaveLength(1);
    expect(s.taskFile('TASK-2')).toMatch(/status: in_review/);
    const ledger = openLedger({ home: s.r.home });
    expect(ledger.listRuns({ taskId: 'TASK-2' })).toHaveLength(1);
    ledger.close();
  });
});

describe('aidev watch: crashes and machines', () => {
  it('starts the run of a claim whose watcher died before starting it, under the run id its comment names', async () => {
    const s = setup();
    const session = await openSession({ cwd: s.r.root, env: s.base.env });
    const tasks = await session.providers.get('tasks');
    const claim = await claimTask(
      {
        ledger: session.ledger(),
        tasks,
        now: () => new Date().toISOString(),
        newRunId: () => 'r-orphan-1',
        owner: `${hostname()}:999999999`, // a pid that is not running
        scope: `local:${s.r.root}`,
      },
      await tasks.getTask('TASK-1'),
    );
    session.close();
    expect(claim).toMatchObject({ won: true, runId: 'r-orphan-1' });
    const result = await runWatch({ ...s.base, label: 'aidev', assignee: undefined }, hooks().hooks);
    expect(result.runs.find((r) => r.taskId === 'TASK-1')).toMatchObject({
      runId: 'r-orphan-1',
      status: 'succeeded',
    });
    expect(lines(s.log).filter((l) => l === 'TASK-1')).toHaveLength(1);
    expect(s.taskFile('TASK-1').match(/picked up by aidev/g)).toHaveLength(1);
  });

  it.skipIf(!postgres.ok)(
    `two machines (separate homes) on one PostgreSQL ledger run each task exactly once${postgres.ok ? '' : ` (skipped: ${postgres.reason})`}`,
    async () => {
      const s = setup();
      const url = server!.url(await server!.createDatabase('watch'));
      const machine = (name: string) => ({
        ...s.base,
        env: { ...s.base.env, AIDEV_HOME: join(s.r.dir, name), AIDEV_LEDGER_URL: url, ...server!.env },
      });
      const [a, b] = await Promise.all([
        runWatch(machine('a'), hooks().hooks),
        runWatch(machine('b'), hooks().hooks),
      ]);
      expect([...a.claimed, ...b.claimed].sort()).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
      expect(lines(s.log)).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
      const ledger = openLedger({ home: s.r.home, env: { AIDEV_LEDGER_URL: url, ...server!.env } });
      expect(
        ledger
          .listRuns()
          .map((r) => r.taskId)
          .sort(),
      ).toEqual(['TASK-1', 'TASK-2', 'TASK-3']);
      ledger.close();
    },
  );
});

describe('watch settings', () => {
  it('needs an assignee or a label, and a sane interval', () => {
    expect(() => watchSettingsOf({}, {})).toThrow(/assignee or a label/);
    expect(() => watchSettingsOf({}, { label: 'x', interval: 0 })).toThrow(/at least 1 second/);
    const error = (() => {
      try {
        watchSettingsOf({}, {});
      } catch (e) {
        return e as AidevError;
      }
    })();
    expect(error?.hint).toContain('watch.assignee');
  });

  it('reads the watch block, with flags winning and system.max_concurrent_agents as the bound', () => {
    const config = {
      watch: { assignee: 'bot', label: 'aidev', interval: 120, jitter: 0.2, grace_period: 10 },
      system: { max_concurrent_agents: 3 },
    };
    expect(watchSettingsOf(config, { label: 'urgent' })).toEqual({
      assignee: 'bot',
      label: 'urgent',
      intervalS: 120,
      jitter: 0.2,
      graceS: 10,
      concurrency: 3,
      once: false,
    });
  });
});
