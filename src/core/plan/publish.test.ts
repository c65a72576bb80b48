import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewTask, Task, TasksProvider } from '../../../providers/types.js';
import {
  chainPlan,
  localTracker,
  tempLedger,
  testRuntime,
  todoPlan,
} from '../../../test/integration/plan-kit.js';
import { AidevError } from '../errors.js';
import { markerLine, publishOperations, publishPlan, type PublishInput } from './publish.js';
import { planSchema } from './schema.js';

function setup() {
  const { dir, tasks } = localTracker();
  const ledger = tempLedger();
  const base: Omit<PublishInput, 'tasks'> = {
    plan: todoPlan(),
    planId: 'p-1',
    runId: null,
    ledger,
    runtime: testRuntime(),
  };
  const files = () => readdirSync(join(dir, '.aidev', 'tasks')).filter((f) => f.endsWith('.md'));
  return { dir, tasks, ledger, base, files };
}

/** The local tracker, refusing the n-th create (counting from 1) once. */
function refusing(inner: TasksProvider, n: number): TasksProvider & { creates: number } {
  const wrapper = Object.create(inner) as TasksProvider & { creates: number };
  wrapper.creates = 0;
  wrapper.createTask = (input: NewTask, opts?: { signal?: AbortSignal }): Promise<Task> => {
    wrapper.creates++;
    if (wrapper.creates === n)
      return Promise.reject(
        new AidevError('PROVIDER_ERROR', 'HTTP 503 from the tracker', { hint: 'the tracker is down' }),
      );
    return inner.createTask(input, opts);
  };
  return wrapper;
}

describe('publishPlan', () => {
  it('creates epics, then tasks under their epic, then one blocks link per dependency', async () => {
    const { tasks, base, files } = setup();
    const progress: string[] = [];
    const result = await publishPlan({ ...base, tasks, progress: (m) => progress.push(m) });
    expect(result).toMatchObject({ created: 30, reused: 0, links: 34 });
    expect(files()).toHaveLength(30);
    const epic = await tasks.getTask(result.mapping.E2!);
    expect(epic).toMatchObject({ type: 'epic', title: 'Accounts and authentication' });
    const signup = await tasks.getTask(result.mapping['E2-T2']!);
    expect(signup.parentId).toBe(result.mapping.E2);
    expect(signup.dependsOn.sort()).toEqual([result.mapping['E2-T1'], result.mapping['E1-T5']].sort());
    expect(signup.labels).toEqual(['backend', 'security']);
    expect(signup.estimate).toBe(3);
    expect(signup.description).toContain('- [ ] weak passwords are rejected with 400');
    expect(signup.description).toContain(markerLine('p-1', 'task', 'E2-T2'));
    expect(progress[0]).toBe('created TASK-1 for epic E1: Project foundation');
    expect(progress).toContain('34 dependencies linked ("blocks")');
  });

  it('a second publish of the same plan creates nothing', async () => {
    const { tasks, base, files } = setup();
    const first = await publishPlan({ ...base, tasks });
    const again = await publishPlan({ ...base, tasks });
    expect(again).toMatchObject({ created: 0, reused: 30, mapping: first.mapping });
    expect(files()).toHaveLength(30);
  });

  it('when the tracker refuses one create midway, the rest is resumable and nothing is duplicated', async () => {
    const { tasks, base, files } = setup();
    const flaky = refusing(tasks, 12);
    const error = await publishPlan({ ...base, tasks: flaky }).then(
      () => undefined,
      (e: unknown) => e as AidevError,
    );
    expect(error).toBeInstanceOf(AidevError);
    expect(error!.code).toBe('PROVIDER_ERROR');
    expect(error!.message).toBe(
      "the tracker refused to create E2-T2 (11 of the plan's items are in the tracker): HTTP 503 from the tracker",
    );
    expect(error!.hint).toBe(
      'the tracker is down; then finish the rest with: aidev plan --resume p-1 (nothing is created twice)',
    );
    expect(files()).toHaveLength(11);
    const resumed = await publishPlan({ ...base, tasks });
    expect(resumed).toMatchObject({ created: 19, reused: 11 });
    expect(files()).toHaveLength(30);
    const titles = (await tasks.listTasks()).map((t) => t.title);
    expect(new Set(titles).size).toBe(30);
  });

  it('a create cut off between the call and the record is found in the tracker by its marker, not made again', async () => {
    const { tasks, base, files, ledger } = setup();
    const plan = planSchema.parse(chainPlan(2));
    // What a kill leaves: the key recorded as pending, and the task already written by the tracker.
    ledger.beginEffect(
      { key: 'plan:p-1:item:E1', runId: null, stepId: null, kind: 'tasks.create.epic' },
      'now',
    );
    const made = await tasks.createTask({
      title: 'Everything',
      type: 'epic',
      description: markerLine('p-1', 'epic', 'E1'),
    });
    const progress: string[] = [];
    const result = await publishPlan({ ...base, plan, tasks, progress: (m) => progress.push(m) });
    expect(result.mapping.E1).toBe(made.id);
    expect(result).toMatchObject({ created: 2, reused: 1 });
    expect(files()).toHaveLength(3);
    expect(progress[0]).toBe(`found ${made.id} for E1 (created before the interruption)`);
  });

  it('fills the configured custom fields', async () => {
    const { tasks, base, dir } = setup();
    const plan = planSchema.parse(chainPlan(1));
    const result = await publishPlan({
      ...base,
      plan,
      tasks,
      customFields: { plan_key: 'customfield_10', estimate: 'story_points', nope: 'x' },
    });
    expect(result.fields).toBe(2);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(dir, '.aidev', 'tasks', `${result.mapping.T1}.md`), 'utf8');
    expect(text).toContain('customfield_10: T1');
    expect(text).toContain('story_points: "1"');
  });

  it('stops between writes when aborted, and lists the writes for a dry run', async () => {
    const { tasks, base, files } = setup();
    const controller = new AbortController();
    const error = await publishPlan({
      ...base,
      tasks,
      signal: controller.signal,
      progress: (m) => (m.startsWith('created TASK-3 ') ? controller.abort() : undefined),
    }).then(
      () => undefined,
      (e: unknown) => e as AidevError,
    );
    expect(error?.code).toBe('INTERRUPTED');
    expect(files()).toHaveLength(3);
    const ops = publishOperations(todoPlan());
    expect(ops.filter((o) => o.op === 'create')).toHaveLength(30);
    expect(ops.filter((o) => o.op === 'link')).toHaveLength(34);
    expect(ops[5]).toEqual({
      op: 'create',
      kind: 'task',
      key: 'E1-T1',
      title: 'Set up the repository and TypeScript build',
      parent: 'E1',
    });
  });
});
