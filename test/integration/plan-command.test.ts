// `aidev plan` through runPlan: the real plan_project workflow on the engine, the local tracker and docs, the scripted
// fake model, and a recording chat. Each test starts from a fresh repository and ledger.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeAi } from '../../providers/ai/fake/fake-ai.js';
import type { ChatMessage, ChatProvider, NewTask, Task, TasksProvider } from '../../providers/types.js';
import { runPlan, type PlanCommandResult, type PlanOptions } from '../../src/commands/plan.js';
import { autoApprover, nonInteractiveApprover } from '../../src/core/approvals.js';
import { AidevError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/core/events.js';
import type { PlanResult } from '../../src/core/plan/result.js';
import { gitIdentity, tempDir, tempRepo } from '../helpers/temp.js';
import { chainPlan, fixtures, submit, TODO_PLAN_FILE, TODO_SCRIPT, todoPlanInput } from './plan-kit.js';

function world(files?: Record<string, string>) {
  const { dir } = tempRepo(files ? { files } : {});
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...gitIdentity,
    AIDEV_HOME: tempDir('aidev-home-'),
  };
  const notices: ChatMessage[] = [];
  const chat: ChatProvider = {
    id: 'recording',
    notify: (m) => {
      notices.push(m);
      return Promise.resolve({ id: `n${notices.length}`, threadId: null });
    },
  };
  const events: RunEvent[] = [];
  const run = (options: Partial<PlanOptions>, prepare?: PlanOptions['prepare']) =>
    runPlan({
      cwd: dir,
      env,
      approver: autoApprover,
      emit: (e) => events.push(e),
      ...options,
      prepare: async (session) => {
        session.providers.set('chat', chat);
        await prepare?.(session);
      },
    });
  const taskFiles = () =>
    existsSync(join(dir, '.aidev/tasks')) ? readdirSync(join(dir, '.aidev/tasks')) : [];
  return { dir, env, notices, events, run, taskFiles };
}

function planOf(result: PlanCommandResult): PlanResult {
  expect(result.kind).toBe('plan');
  if (result.kind !== 'plan') throw new Error('not a plan result');
  return result.result;
}

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('aidev plan', () => {
  it('"A todo app with auth" --yes: 25 tasks under 5 epics, dependencies linked, the docs page and the notice', async () => {
    const w = world();
    const r = planOf(await w.run({ idea: 'A todo app with auth', fakeResponses: TODO_SCRIPT }));
    expect(r, JSON.stringify(r.error)).toMatchObject({
      status: 'published',
      runStatus: 'succeeded',
      exitCode: 0,
      created: 30,
      links: 34,
    });
    expect(w.taskFiles()).toHaveLength(30);
    expect(Object.keys(r.mapping)).toHaveLength(30);
    const epic = readFileSync(join(w.dir, '.aidev/tasks', `${r.mapping.E3}.md`), 'utf8');
    expect(epic).toContain('type: epic');
    const task = readFileSync(join(w.dir, '.aidev/tasks', `${r.mapping['E3-T2']}.md`), 'utf8');
    expect(task).toContain(`parent: ${r.mapping.E3}`);
    expect(task).toContain(`depends_on:\n  - ${r.mapping['E3-T1']}\n  - ${r.mapping['E2-T4']}`);
    expect(r.docs).toEqual({ key: `plan/${r.planId}`, url: `docs/aidev/plan/${r.planId}.md` });
    expect(readFileSync(join(w.dir, r.docs!.url), 'utf8')).toContain(
      `[${r.mapping.E3}](../../../.aidev/tasks/${r.mapping.E3}.md)`,
    );
    expect(w.notices).toEqual([
      expect.objectContaining({
        text: 'Project plan "Todo app with auth" published: 5 epics and 25 tasks',
        link: { url: r.docs!.url, label: 'Project plan' },
        fields: { plan: r.planId, epics: '5', tasks: '25', created: '30' },
        level: 'success',
      }),
    ]);
    expect(r.notified).toBe(true);
    const created = w.events.filter((e) => e.type === 'step.progress' && e.message.includes(': created '));
    expect(created).toHaveLength(30);
    expect(w.events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
  });

  it('without --yes and no terminal: saves the draft, exits 4, and --resume --yes publishes it with no new model call', async () => {
    const w = world();
    const paused = planOf(
      await w.run({
        idea: 'A todo app with auth',
        fakeResponses: TODO_SCRIPT,
        approver: nonInteractiveApprover,
      }),
    );
    expect(paused).toMatchObject({
      status: 'awaiting_approval',
      exitCode: 4,
      runStatus: 'awaiting_approval',
    });
    expect(paused.error?.hint).toBe(
      `review it, then publish it with: aidev plan --resume ${paused.planId} --yes   (or look at it first: aidev plan --resume ${paused.planId} --dry-run)`,
    );
    expect(paused.next).toContain(`aidev plan --resume ${paused.planId} --yes`);
    expect(w.taskFiles()).toHaveLength(0);
    // An empty script: any model call would fail.
    const empty = join(tempDir(), 'empty.jsonl');
    writeFileSync(empty, '{"text":"should not be asked"}\n');
    const shown = planOf(await w.run({ resume: paused.planId, dryRun: true }));
    expect(shown).toMatchObject({ status: 'awaiting_approval', dryRun: true });
    expect(shown.plan?.epics).toHaveLength(5);
    const published = planOf(await w.run({ resume: paused.planId, fakeResponses: empty }));
    expect(published).toMatchObject({ status: 'published', exitCode: 0, created: 30 });
    expect(w.taskFiles()).toHaveLength(30);
    const again = planOf(await w.run({ resume: paused.planId }));
    expect(again).toMatchObject({ status: 'published', exitCode: 0 });
    expect(w.taskFiles()).toHaveLength(30);
  });

  it('--dry-run drafts and prints the plan and what publishing would create, then --resume publishes that same draft', async () => {
    const w = world();
    const dry = planOf(
      await w.run({ idea: 'A todo app with auth', fakeResponses: TODO_SCRIPT, dryRun: true }),
    );
    expect(dry).toMatchObject({ status: 'draft', dryRun: true, exitCode: 0, mapping: {} });
    expect(dry.operations?.filter((o) => o.op === 'create')).toHaveLength(30);
    expect(dry.next).toBe(
      `publish this draft without another model call: aidev plan --resume ${dry.planId} --yes`,
    );
    expect(w.taskFiles()).toHaveLength(0);
    expect(w.notices).toHaveLength(0);
    const published = planOf(await w.run({ resume: dry.planId }));
    expect(published).toMatchObject({ status: 'published', created: 30 });
    expect(w.notices).toHaveLength(1);
  });

  it('--from-file with a finished plan publishes it as is, without the model', async () => {
    const w = world();
    const r = planOf(await w.run({ fromFile: TODO_PLAN_FILE }));
    expect(r).toMatchObject({ status: 'published', created: 30, costUsd: 0 });
    const small = join(tempDir(), 'small.yaml');
    writeFileSync(small, JSON.stringify(chainPlan(3)));
    const s = planOf(await w.run({ fromFile: small, dryRun: true }));
    expect(s).toMatchObject({ status: 'draft', counts: { epics: 1, tasks: 3, dependencies: 2 } });
  });

  it('--from-file with a request feeds the prompt, together with --requirement and --stack', async () => {
    const w = world();
    const fake = createFakeAi([submit(todoPlanInput())]);
    const r = planOf(
      await w.run(
        {
          fromFile: join(fixtures, 'request.json'),
          requirements: ['Dark mode'],
          stack: ['React'],
          dryRun: true,
        },
        (s) => s.providers.set('ai', fake),
      ),
    );
    expect(r.status).toBe('draft');
    const user = fake.requests[0]!.messages[0]!.content as string;
    expect(user).toContain('A todo app with auth');
    expect(user).toContain(
      '- Users sign up with email and password\n- Each user sees only their own todos\n- Dark mode',
    );
    expect(user).toContain('Technology stack: TypeScript, Node.js, PostgreSQL, React');
  });

  it('gives the model the README and the files when the project is a repository', async () => {
    const w = world({
      'README.md': '# Legacy todo\nAn Express app that needs auth.\n',
      'src/server.js': 'x',
    });
    const fake = createFakeAi([submit(todoPlanInput())]);
    await w.run({ idea: 'Add auth', dryRun: true }, (s) => s.providers.set('ai', fake));
    const user = fake.requests[0]!.messages[0]!.content as string;
    expect(user).toContain('An Express app that needs auth.');
    expect(user).toContain('- src/server.js');
  });

  it('the repair loop runs inside the command: prose, then a cycle, then a valid plan', async () => {
    const w = world();
    const cyclic = todoPlanInput();
    cyclic.epics[0]!.tasks[0]!.depends_on = ['E1-T4'];
    const fake = createFakeAi([
      { text: 'Here is my plan: first the backend.' },
      submit(cyclic),
      submit(todoPlanInput()),
    ]);
    const r = planOf(await w.run({ idea: 'A todo app with auth' }, (s) => s.providers.set('ai', fake)));
    expect(r).toMatchObject({ status: 'published', created: 30 });
    expect(fake.requests).toHaveLength(3);
    expect(JSON.stringify(fake.requests[2]!.messages.at(-1))).toContain(
      'dependency cycle: E1-T1 → E1-T4 → E1-T2 → E1-T1',
    );
  });

  it('fails after plan.max_repairs with the problems, the saved answer and exit 1; nothing is published', async () => {
    const w = world();
    const few = chainPlan(3);
    const fake = createFakeAi([submit(few), submit(few), submit(few)]);
    const r = planOf(await w.run({ idea: 'A todo app with auth' }, (s) => s.providers.set('ai', fake)));
    expect(r).toMatchObject({ runStatus: 'failed', exitCode: 1, status: 'drafting' });
    expect(r.error?.message).toBe(
      "the model's plan is still invalid after 2 repairs:\n  epics: the plan has 3 tasks; at least 20 are needed (plan.min_tasks)",
    );
    const saved = join(w.dir, '.aidev', 'plans', `${r.planId}-rejected.json`);
    expect(r.error?.hint).toContain(`aidev plan --from-file ${saved}`);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(few);
    expect(w.taskFiles()).toHaveLength(0);
    // The saved answer is publishable as it is once a person accepts it (from a file, the minimum does not apply).
    expect(planOf(await w.run({ fromFile: saved }))).toMatchObject({ status: 'published', created: 4 });
  });

  it('the tracker refusing one create in the middle: exit 1, then --resume finishes it and duplicates nothing', async () => {
    const w = world();
    let creates = 0;
    const refuse = (tasks: TasksProvider): TasksProvider => {
      const wrapper = Object.create(tasks) as TasksProvider;
      wrapper.createTask = (input: NewTask, opts?: { signal?: AbortSignal }): Promise<Task> =>
        ++creates === 9
          ? Promise.reject(new AidevError('PROVIDER_ERROR', 'HTTP 500 from the tracker'))
          : tasks.createTask(input, opts);
      return wrapper;
    };
    const failed = planOf(
      await w.run({ idea: 'A todo app with auth', fakeResponses: TODO_SCRIPT }, async (s) =>
        s.providers.set('tasks', refuse(await s.providers.get('tasks'))),
      ),
    );
    expect(failed).toMatchObject({ runStatus: 'failed', exitCode: 1, status: 'publishing' });
    expect(failed.error?.message).toContain(
      "the tracker refused to create E1-T4 (8 of the plan's items are in the tracker): HTTP 500 from the tracker",
    );
    expect(failed.next).toBe(
      `aidev plan --resume ${failed.planId}   (nothing published so far is created again)`,
    );
    expect(w.taskFiles()).toHaveLength(8);
    const resumed = planOf(await w.run({ resume: failed.planId }));
    expect(resumed).toMatchObject({ status: 'published', exitCode: 0, created: 22, reused: 8 });
    expect(w.taskFiles()).toHaveLength(30);
    expect(Object.keys(resumed.mapping)).toHaveLength(30);
    expect(w.notices).toHaveLength(1);
  });

  it('--scaffold makes a repository with the plan and a bare remote', async () => {
    const w = world();
    const target = join(tempDir(), 'todo-app');
    const r = planOf(await w.run({ fromFile: TODO_PLAN_FILE, scaffold: target }));
    expect(r.scaffold).toMatchObject({ dir: target, remote: `${target}.git` });
    expect(readFileSync(join(target, 'docs/index.md'), 'utf8')).toContain(
      `## Accounts and authentication (${r.mapping.E2})`,
    );
  });

  it('refuses bad requests before anything runs', async () => {
    const w = world();
    expect((await failure(w.run({ idea: '' }))).message).toBe('the idea is empty: there is nothing to plan');
    expect((await failure(w.run({ idea: 'a'.repeat(100_001) }))).hint).toContain('--from-file');
    expect((await failure(w.run({ resume: 'p-nope' }))).message).toMatch(/^no plan "p-nope" in the ledger /);
    expect((await failure(w.run({ resume: 'p-x', idea: 'y' }))).code).toBe('USAGE');
  });

  it('--estimate prices the draft without calling the model', async () => {
    const w = world();
    const r = await w.run({ idea: 'A todo app with auth', estimate: true, fakeResponses: TODO_SCRIPT });
    expect(r.kind).toBe('estimate');
    if (r.kind !== 'estimate') return;
    expect(r.estimate).toMatchObject({ model: 'fake-model', repairs: 2 });
    expect(r.estimate.promptTokens).toBeGreaterThan(500);
    expect(r.estimate.estimate!.typical).toBeGreaterThan(0);
    expect(r.estimate.worstCaseUsd!).toBeGreaterThan(r.estimate.estimate!.typical);
    expect(w.events).toHaveLength(0);
  });
});
