// Shared pieces of the plan tests: the fixture plan, a small plan, a real local tracker, a temp ledger and a scripted
// model client (the fake provider behind the ModelClient interface). Real objects, no mocks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeAi, type FakeAi } from '../../providers/ai/fake/fake-ai.js';
import { localTasksConfigSchema } from '../../providers/tasks/local/config.js';
import { LocalTasks } from '../../providers/tasks/local/local-tasks.js';
import type { ModelClient } from '../../src/core/engine/types.js';
import { SqliteLedger } from '../../src/core/ledger/sqlite-ledger.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan/schema.js';
import { testRuntime } from '../helpers/engine.js';
import { providerContext, steppingClock } from '../helpers/provider-context.js';
import { repoRoot, tempDir } from '../helpers/temp.js';

export const fixtures = join(repoRoot, 'test', 'fixtures', 'plan');
export const TODO_SCRIPT = join(fixtures, 'todo-app.jsonl');
export const TODO_PLAN_FILE = join(fixtures, 'todo-plan.json');

export function todoPlanInput(): PlanInput {
  return JSON.parse(readFileSync(TODO_PLAN_FILE, 'utf8')) as PlanInput;
}

export function todoPlan(): Plan {
  return planSchema.parse(todoPlanInput());
}

/** A valid plan with `n` tasks in one epic, each depending on the one before. */
export function chainPlan(n: number): PlanInput {
  return {
    project: { name: 'Chain', summary: 'A chain of tasks' },
    epics: [
      {
        key: 'E1',
        title: 'Everything',
        tasks: Array.from({ length: n }, (_, i) => ({
          key: `T${i + 1}`,
          title: `Task ${i + 1}`,
          description: `Do step ${i + 1}`,
          acceptance_criteria: [`step ${i + 1} works`],
          estimate: 1,
          labels: [],
          depends_on: i ? [`T${i}`] : [],
        })),
      },
    ],
  };
}

export function localTracker(dir = tempDir()): { dir: string; tasks: LocalTasks } {
  return {
    dir,
    tasks: new LocalTasks(
      providerContext(localTasksConfigSchema.parse({}), { repoRoot: dir, clock: steppingClock() }),
    ),
  };
}

export function tempLedger(): SqliteLedger {
  return new SqliteLedger(join(tempDir('aidev-ledger-'), 'ledger.db'));
}

export { testRuntime };

/** The fake provider as a ModelClient, with its recorded requests. */
export function scriptedModel(responses: readonly unknown[]): { model: ModelClient; fake: FakeAi } {
  const fake = createFakeAi(responses);
  return {
    fake,
    model: {
      model: fake.model,
      complete: (request, opts) =>
        fake.complete(
          { ...request, maxTokens: request.maxTokens ?? 8192 },
          opts?.signal ? { signal: opts.signal } : {},
        ),
    },
  };
}

export const submit = (input: unknown) => ({ tool: 'submit_plan', input });
