import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../../test/helpers/engine.js';
import { autoApprover, presetApprover } from '../approvals.js';
import { AidevError } from '../errors.js';
import { registerAction } from './actions/index.js';
import { resumeRun, startRun } from './executor.js';

describe('interrupt, timeout and resume', () => {
  it('aborting the run signal stops the current step: the run is interrupted (130) and resumes from that step', async () => {
    let started!: () => void;
    const inStep = new Promise<void>((r) => (started = r));
    registerAction({
      name: 'test.wait_forever',
      description: 'never finishes and ignores its signal',
      input: z.strictObject({}),
      outputs: [],
      run: () => {
        started();
        return new Promise(() => undefined);
      },
    });
    const h = harness();
    const wf = workflowFrom(`
name: t
steps:
  - id: before
    uses: chat.notify
    with: {text: before}
  - id: wait
    uses: test.wait_forever
  - id: after
    uses: chat.notify
    with: {text: after}
`);
    const running = startRun({ ...h.deps, workflow: wf, inputs: {} });
    await inStep;
    h.controller.abort();
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(result.next).toBe(`aidev resume ${result.runId}`);
    expect(result.steps.map((s) => s.status)).toEqual(['succeeded', 'pending', 'pending']);
    expect(h.ledger.getRun(result.runId)!.status).toBe('interrupted');
    expect(h.world.messages.map((m) => m.text)).toEqual(['before']);

    // Resume with the step fixed: it continues at `wait`, never repeats `before`.
    registerAction({
      name: 'test.wait_forever',
      description: '',
      input: z.strictObject({}),
      outputs: [],
      run: () => Promise.resolve({}),
    });
    const h2 = { ...h.deps, signal: new AbortController().signal };
    const resumed = await resumeRun({ ...h2, workflow: wf, run: h.ledger.getRun(result.runId)! });
    expect(resumed.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['before', 'after']);
  });

  it('a crash after an effect but before the checkpoint: the re-run step finds the effect and does not repeat it', async () => {
    let calls = 0;
    let phase: 'hang' | 'finish' = 'hang';
    let started!: () => void;
    const inStep = new Promise<void>((r) => (started = r));
    registerAction({
      name: 'test.effect_then_hang',
      description: '',
      input: z.strictObject({}),
      outputs: ['id'],
      async run(_input, ctx) {
        const id = await ctx.effect('post', 'test.post', () => {
          calls++;
          return Promise.resolve({ externalId: 'ext-1', result: `posted-${calls}` });
        });
        if (phase === 'hang') {
          started();
          await new Promise(() => undefined);
        }
        return { id };
      },
    });
    const h = harness();
    const wf = workflowFrom('name: t\nsteps:\n  - id: post\n    uses: test.effect_then_hang\n');
    const running = startRun({ ...h.deps, workflow: wf, inputs: {} });
    await inStep;
    h.controller.abort();
    const interrupted = await running;
    expect(interrupted.status).toBe('interrupted');
    expect(h.ledger.listEffects(interrupted.runId).map((e) => [e.key, e.status, e.externalId])).toEqual([
      [`${interrupted.runId}:post:post`, 'done', 'ext-1'],
    ]);
    phase = 'finish';
    const resumed = await resumeRun({
      ...h.deps,
      signal: new AbortController().signal,
      workflow: wf,
      run: h.ledger.getRun(interrupted.runId)!,
    });
    expect(resumed.status).toBe('succeeded');
    expect(calls).toBe(1);
    expect(resumed.outputs.post).toEqual({ id: 'posted-1' });
  });

  it('a pending effect (crashed mid-call) is looked up with recover() before it is tried again', async () => {
    const h = harness();
    const runId = 'r-x';
    h.ledger.createRun({ id: runId, workflow: 't', startedAt: '2025-01-01T00:00:00Z' });
    h.ledger.beginEffect(
      { key: `${runId}:pr:pull_request`, runId, stepId: 'pr', kind: 'vcs.open_pull_request' },
      '2025-01-01T00:00:00Z',
    );
    // The PR was opened before the crash; the ledger never heard back.
    h.world.prs.push({
      url: 'https://example.test/pr/9',
      number: 9,
      id: '9',
      state: 'open',
      head: 'feature/T-1',
      base: 'main',
      title: 't',
      draft: false,
    });
    const { RunContext } = await import('./run-context.js');
    const { findAction } = await import('./actions/index.js');
    const run = new RunContext(
      h.deps,
      workflowFrom('name: t\nsteps:\n  - id: pr\n    uses: workflow.set_outputs\n'),
      runId,
      null,
      {
        workflow: undefined as never,
        inputs: {},
        run: { id: runId, workflow: 't', task_id: null, started_at: '', repo: 'x' },
        config: {},
        steps: {},
        aliases: {},
        task: undefined,
        feedback: null,
      },
      {},
    );
    const out = await findAction('vcs.open_pull_request')!.run(
      { title: 't', body: '', head: 'feature/T-1' },
      run.stepContext('pr', 1, h.controller.signal),
    );
    expect(out).toMatchObject({ url: 'https://example.test/pr/9', created: true });
    expect(h.world.count('vcs.openPullRequest')).toBe(0);
    expect(h.ledger.getEffect(`${runId}:pr:pull_request`)!.status).toBe('done');
  });

  it('a step over its timeout fails with TIMEOUT, and the run stays failed', async () => {
    const h = harness();
    const wf = workflowFrom('name: t\nsteps:\n  - id: slow\n    run: sleep 5\n    timeout: 50ms\n');
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'TIMEOUT',
      message: 'step slow took longer than its timeout of 50 ms',
    });
  });

  it('a resumed run restores outputs and the task from the ledger', async () => {
    const h = harness();
    const wf = workflowFrom(`
name: t
steps:
  - id: get
    uses: tasks.get
    with: {id: T-1}
  - id: shape
    uses: workflow.set_outputs
    with: {title: "\${task.title}"}
    outputs: {title: headline}
  - id: stop
    uses: workflow.fail
    if: "!inputs.go"
    with: {message: not yet}
  - id: use
    uses: chat.notify
    with: {text: "\${headline} / \${steps.shape.outputs.title} / \${task.id}"}
`);
    const failed = await startRun({ ...h.deps, rollback: false, workflow: wf, inputs: {} });
    expect(failed.status).toBe('failed');
    const run = h.ledger.getRun(failed.runId)!;
    h.ledger.updateRun(run.id, { inputs: { go: true } });
    const resumed = await resumeRun({ ...h.deps, workflow: wf, run: h.ledger.getRun(run.id)! });
    expect(resumed.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['Add a greeting / Add a greeting / T-1']);
    expect(h.world.count('tasks.getTask')).toBe(1);
  });

  it('a crash right after a gate sent the run back still resumes at retry_step, with the feedback', async () => {
    const h = harness({
      approver: presetApprover({ decision: 'feedback', by: 'ann', feedback: 'shorter' }, autoApprover),
    });
    const wf = workflowFrom(`
name: t
steps:
  - id: draft
    uses: workflow.set_outputs
    with: {text: "\${{ feedback || 'long' }}"}
  - id: review
    approval: {message: ok?, retry_step: draft}
  - id: publish
    uses: chat.notify
    with: {text: "\${steps.draft.outputs.text}"}
`);
    // The process "dies" on the first write after the gate's checkpoint: nothing more reaches the ledger.
    let dead = false;
    const die = () => {
      throw new Error('killed');
    };
    const overrides: Partial<typeof h.ledger> = {
      saveStep: (step, patch) => {
        if (dead || step.status === 'pending') {
          dead = true;
          die();
        }
        h.ledger.saveStep(step, patch);
      },
      updateRun: (id, patch) => (dead ? die() : h.ledger.updateRun(id, patch)),
      audit: (row) => (dead ? die() : h.ledger.audit(row)),
    };
    const dying = new Proxy(h.ledger, {
      get(target, prop) {
        if (prop in overrides) return overrides[prop as keyof typeof overrides];
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(startRun({ ...h.deps, ledger: dying, workflow: wf, inputs: {} })).rejects.toThrow('killed');
    const row = h.ledger.listRuns()[0]!;
    expect(row.status).toBe('running');
    expect(h.ledger.listSteps(row.id).map((r) => [r.stepId, r.status])).toEqual([
      ['draft', 'succeeded'],
      ['review', 'succeeded'],
    ]);
    const resumed = await resumeRun({ ...h.deps, approver: autoApprover, workflow: wf, run: row });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps.map((x) => x.id + ':' + String(x.attempt))).toEqual([
      'draft:1',
      'review:1',
      'publish:1',
    ]);
    expect(h.world.messages.map((m) => m.text)).toEqual(['shorter']);
  });

  it('a budget stop is not a failure: no rollback, exit 3, resumable with --max-cost', async () => {
    let allowed = false;
    registerAction({
      name: 'test.costly',
      description: '',
      input: z.strictObject({}),
      outputs: ['ok'],
      run: () =>
        allowed
          ? Promise.resolve({ ok: true })
          : Promise.reject(new AidevError('BUDGET_EXCEEDED', 'the run would cost more than $5.00')),
    });
    const h = harness();
    const wf = workflowFrom(`
name: t
steps:
  - id: start
    uses: tasks.update_status
    with: {id: T-1, status: in_progress}
  - id: think
    uses: test.costly
    retry: {max_attempts: 3, initial_interval: 1ms}
`);
    const stopped = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(stopped).toMatchObject({
      status: 'budget_exceeded',
      exitCode: 3,
      next: `aidev resume ${stopped.runId} --max-cost <USD>`,
    });
    expect(h.world.tasks.get('T-1')!.status).toBe('in_progress');
    expect(stopped.steps.map((x) => x.status)).toEqual(['succeeded', 'pending']);
    allowed = true;
    const resumed = await resumeRun({ ...h.deps, workflow: wf, run: h.ledger.getRun(stopped.runId)! });
    expect(resumed.status).toBe('succeeded');
    expect(h.world.count('tasks.updateStatus')).toBe(1);
  });

  it('refuses to resume a finished or rolled-back run', async () => {
    const h = harness();
    const wf = workflowFrom('name: t\nsteps:\n  - id: a\n    uses: workflow.fail\n    with: {message: no}\n');
    const failed = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    await expect(resumeRun({ ...h.deps, workflow: wf, run: h.ledger.getRun(failed.runId)! })).rejects.toThrow(
      /failed and was rolled back/,
    );
  });
});
