import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chainPlan, scriptedModel, submit, todoPlanInput } from '../../../test/integration/plan-kit.js';
import { tempDir, tempRepo } from '../../../test/helpers/temp.js';
import { createPromptSource } from '../ai/prompts.js';
import { AidevError } from '../errors.js';
import { repoContext } from './context.js';
import { generatePlan, type GenerateInput } from './generate.js';
import { PLAN_DEFAULTS } from './settings.js';

function input(responses: unknown[], extra: Partial<GenerateInput> = {}) {
  const { model, fake } = scriptedModel(responses);
  const dir = tempDir();
  const args: GenerateInput = {
    request: { idea: 'A todo app with auth', requirements: ['Email sign-in'], stack: ['TypeScript'] },
    context: null,
    settings: { ...PLAN_DEFAULTS, minTasks: 3, maxRepairs: 2 },
    model,
    prompts: createPromptSource(dir),
    signal: new AbortController().signal,
    rawDir: `${dir}/plans`,
    planId: 'p-1',
    ...extra,
  };
  return { args, fake, dir };
}

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('generatePlan', () => {
  it('asks through the forced submit_plan tool with the plan JSON Schema, and returns the checked plan', async () => {
    const { args, fake } = input([submit(todoPlanInput())], { settings: { ...PLAN_DEFAULTS } });
    const result = await generatePlan(args);
    expect(result.attempts).toBe(1);
    expect(result.plan.epics).toHaveLength(5);
    const request = fake.requests[0]!;
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'submit_plan' });
    expect(request.tools?.[0]?.inputSchema).toMatchObject({ type: 'object', required: ['project', 'epics'] });
    const user = request.messages[0]!.content as string;
    expect(user).toContain('A todo app with auth');
    expect(user).toContain('- Email sign-in');
    expect(user).toContain('Technology stack: TypeScript');
    expect(user).toContain('between 20 and 200 tasks');
  });

  it('repairs prose: the exact problem goes back, then the valid answer is taken', async () => {
    const { args, fake } = input([{ text: 'Sure! First, set up the repo.' }, submit(chainPlan(3))]);
    const progress: string[] = [];
    const result = await generatePlan({ ...args, progress: (m) => progress.push(m) });
    expect(result.attempts).toBe(2);
    const repair = fake.requests[1]!.messages.at(-1)!;
    expect(repair.role).toBe('user');
    expect(repair.content).toContain(
      'the answer is prose, not a JSON plan (it begins "Sure! First, set up the repo.")',
    );
    expect(progress).toContain('repair 1 of 2');
  });

  it('answers a tool call with a tool_result carrying the validation errors (duplicate key, unknown dependency)', async () => {
    const bad = chainPlan(3);
    bad.epics[0]!.tasks[1]!.key = 'T1';
    bad.epics[0]!.tasks[2]!.depends_on = ['T7'];
    const { args, fake } = input([submit(bad), submit(chainPlan(3))]);
    await generatePlan(args);
    const turn = fake.requests[1]!.messages.at(-1)!.content as {
      type: string;
      toolUseId: string;
      content: string;
      isError: boolean;
    }[];
    expect(turn[0]).toMatchObject({ type: 'tool_result', toolUseId: 'toolu_fake_1_0', isError: true });
    expect(turn[0]!.content).toContain(
      '- epics.0.tasks.1.key: duplicate key "T1" (first used at epics.0.tasks.0.key)',
    );
    expect(turn[0]!.content).toContain(
      '- epics.0.tasks.2.depends_on.0: task T3 depends on "T7", which is no task key in the plan',
    );
  });

  it('repairs truncated JSON and too few tasks', async () => {
    const { args, fake } = input([
      { text: '{"project": {"name": "x"}, "epics": [{"key": "E1", "tasks": [' },
      submit(chainPlan(2)),
      submit(chainPlan(4)),
    ]);
    const result = await generatePlan(args);
    expect(result.attempts).toBe(3);
    expect(JSON.stringify(fake.requests[1]!.messages.at(-1))).toContain('the JSON is truncated');
    expect(JSON.stringify(fake.requests[2]!.messages.at(-1))).toContain(
      'the plan has 2 tasks; at least 3 are needed (plan.min_tasks)',
    );
  });

  it('stops after plan.max_repairs with the last problems shown and the last answer saved', async () => {
    const cyclic = chainPlan(3);
    cyclic.epics[0]!.tasks[0]!.depends_on = ['T3'];
    const { args, fake } = input([
      { text: 'prose' },
      { text: 'more prose' },
      submit(cyclic),
      submit(chainPlan(3)),
    ]);
    const error = await failure(generatePlan(args));
    expect(fake.remaining).toBe(1);
    expect(error.code).toBe('STEP_FAILED');
    expect(error.message).toBe(
      "the model's plan is still invalid after 2 repairs:\n  epics.0.tasks.0.depends_on: dependency cycle: T1 → T3 → T2 → T1",
    );
    const saved = error.details?.rawFile as string;
    expect(error.hint).toContain(`aidev plan --from-file ${saved}`);
    expect(saved.endsWith('p-1-rejected.json')).toBe(true);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(cyclic);
  });

  it('saves prose as text when no JSON ever came back', async () => {
    const { args } = input([{ text: 'no' }], { settings: { ...PLAN_DEFAULTS, maxRepairs: 0 } });
    const error = await failure(generatePlan(args));
    expect(error.message).toContain('after 0 repairs');
    const saved = error.details?.rawFile as string;
    expect(existsSync(saved) && readFileSync(saved, 'utf8')).toBe('no');
  });

  it('gives the README and file tree of a repository, and a reviewer feedback with the previous draft', async () => {
    const { dir } = tempRepo({
      files: { 'README.md': '# Todo\nA todo service in Go.\n', 'cmd/main.go': 'package main\n' },
    });
    const context = await repoContext(dir, {
      env: { PATH: process.env.PATH },
      readmeChars: 1000,
      maxFiles: 10,
    });
    expect(context).toMatchObject({ files: ['README.md', 'cmd/main.go'], moreFiles: 0 });
    const previous = chainPlan(3);
    const { args, fake } = input([submit(chainPlan(3))], {
      context,
      feedback: {
        text: 'Split T2 in two',
        previous: (await import('./schema.js')).planSchema.parse(previous),
      },
    });
    await generatePlan(args);
    const user = fake.requests[0]!.messages[0]!.content as string;
    expect(user).toContain('A todo service in Go.');
    expect(user).toContain('- cmd/main.go');
    expect(user).toContain('Address this feedback now:\nSplit T2 in two');
    expect(user).toContain('"key":"T2"');
    expect(
      await repoContext(tempDir(), { env: { PATH: process.env.PATH }, readmeChars: 10, maxFiles: 1 }),
    ).toBeNull();
  });
});
