// `aidev plan --yes` publishing to Asana through the contract fake: epics become parent tasks, plan tasks their
// subtasks (in the project, with tags), plan links "blocked by" dependencies; interrupted right after Asana created a
// subtask, `--resume` finds it by the plan marker in its notes and creates nothing twice.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatProvider } from '../../providers/types.js';
import { runPlan, type PlanCommandResult, type PlanOptions } from '../../src/commands/plan.js';
import { autoApprover } from '../../src/core/approvals.js';
import type { PlanResult } from '../../src/core/plan/result.js';
import { PROJECT, startAsanaFake, type AsanaFake } from '../helpers/contract/asana-fake.js';
import { gitIdentity, tempDir, tempRepo } from '../helpers/temp.js';
import { chainPlan } from './plan-kit.js';

const TOKEN = 'asana-plan-token';

async function world(): Promise<{
  fake: AsanaFake;
  file: string;
  run: (o: Partial<PlanOptions>) => Promise<PlanResult>;
}> {
  const fake = await startAsanaFake({ token: TOKEN });
  const config = [
    'tasks:',
    '  provider: asana',
    '  asana:',
    `    base_url: '${fake.baseUrl}'`,
    `    project: '${PROJECT}'`,
    '    sections: {todo: To do, in_progress: Doing, in_review: Review, done: Done}',
    '',
  ].join('\n');
  const { dir } = tempRepo({ files: { 'README.md': '# app\n', '.aidevrc.yaml': config } });
  const plan = chainPlan(3);
  plan.epics[0]!.tasks[0]!.labels = ['backend'];
  const file = join(tempDir(), 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...gitIdentity,
    AIDEV_HOME: tempDir('aidev-home-'),
    ASANA_TOKEN: TOKEN,
  };
  const chat: ChatProvider = { id: 'quiet', notify: () => Promise.resolve({ id: null, threadId: null }) };
  const run = async (options: Partial<PlanOptions>) =>
    planOf(
      await runPlan({
        cwd: dir,
        env,
        approver: autoApprover,
        ...options,
        prepare: (session) => {
          session.providers.set('chat', chat);
        },
      }),
    );
  return { fake, file, run };
}

function planOf(result: PlanCommandResult): PlanResult {
  if (result.kind !== 'plan') throw new Error('not a plan result');
  return result.result;
}

describe('aidev plan --yes with tasks: asana', () => {
  it('publishes the epic as a parent task, its tasks as tagged subtasks, and the links as dependencies', async () => {
    const { fake, file, run } = await world();
    const r = await run({ fromFile: file });
    expect(r, JSON.stringify(r.error)).toMatchObject({ status: 'published', created: 4, links: 2 });
    const epic = fake.tasks.get(r.mapping.E1!)!;
    const [t1, t2, t3] = ['T1', 'T2', 'T3'].map((k) => fake.tasks.get(r.mapping[k]!)!);
    expect(epic).toMatchObject({ name: 'Everything', parent: null, projects: [PROJECT] });
    for (const t of [t1!, t2!, t3!])
      expect(t).toMatchObject({ parent: epic.gid, projects: [PROJECT], section: '3001' });
    expect(t1!.tags.map((g) => fake.tags.find((x) => x.gid === g)?.name)).toEqual(['backend']);
    expect(t2!.dependencies).toEqual([t1!.gid]);
    expect(t3!.dependencies).toEqual([t2!.gid]);
    expect(fake.tasks.size).toBe(4);
  });

  it('interrupted right after Asana created a subtask, --resume finds it and duplicates nothing', async () => {
    const { fake, file, run } = await world();
    const controller = new AbortController();
    fake.after('TasksApi.createSubtaskForTask', () => controller.abort());
    const first = await run({ fromFile: file, signal: controller.signal });
    expect(first.runStatus).toBe('interrupted');
    expect(fake.tasks.size).toBe(2); // the epic and T1, which the interrupted run never recorded
    const resumed = await run({ resume: first.planId });
    expect(resumed, JSON.stringify(resumed.error)).toMatchObject({ status: 'published', exitCode: 0 });
    expect(fake.tasks.size).toBe(4);
    expect(Object.keys(resumed.mapping).sort()).toEqual(['E1', 'T1', 'T2', 'T3']);
    const names = [...fake.tasks.values()].map((t) => t.name).sort();
    expect(names).toEqual(['Everything', 'Task 1', 'Task 2', 'Task 3']);
    expect(fake.tasks.get(resumed.mapping.T2!)!.dependencies).toEqual([resumed.mapping.T1]);
  });
});
