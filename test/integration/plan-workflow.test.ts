// The shipped plan_project workflow: it loads cleanly (the plan.* actions are in the engine's action table), each step's
// `with:` resolves from what earlier steps publish, and the steps after the draft are skipped on a dry run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPromptSource } from '../../src/core/ai/prompts.js';
import { configSchema } from '../../src/core/config/schema.js';
import { formatIssue } from '../../src/core/engine/issues.js';
import { readWorkflowFile } from '../../src/core/engine/loader.js';
import { resolveWith } from '../../src/core/engine/resolve-inputs.js';
import { recordStep, scopeOf, type ScopeState } from '../../src/core/engine/scope.js';
import { stepKind } from '../../src/core/engine/step-kinds.js';
import type { WorkflowDef } from '../../src/core/engine/types.js';
import { evaluateExpression, truthy } from '../../src/core/expressions/index.js';
import { repoRoot } from '../helpers/temp.js';

const file = join(repoRoot, 'workflows', 'plan_project.yaml');
const repo = mkdtempSync(join(tmpdir(), 'aidev-plan-wf-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
const prompts = createPromptSource(repo);
const ctx = { repoRoot: repo, config: undefined, promptExists: (n: string) => prompts.exists(n) };

/** Walks the steps the way the engine would, with placeholder outputs; returns the ids that ran and their inputs. */
function walk(workflow: WorkflowDef, inputs: Record<string, unknown>) {
  const state: ScopeState = {
    workflow,
    inputs,
    run: {
      id: 'r-1',
      workflow: workflow.name,
      task_id: null,
      started_at: '2025-01-01T00:00:00Z',
      repo: 'app',
    },
    config: configSchema.parse({}),
    steps: {},
    aliases: {},
    task: undefined,
    feedback: null,
  };
  const ran: Record<string, Record<string, unknown>> = {};
  for (const step of workflow.steps) {
    if (step.if !== undefined && !truthy(evaluateExpression(step.if, { scope: scopeOf(state) }))) {
      recordStep(state, step, 'skipped', undefined);
      continue;
    }
    ran[step.id] = resolveWith(step.with, scopeOf(state), state, step.id, false) as Record<string, unknown>;
    const names = stepKind(step.kind)!.outputs?.(step.spec, step) ?? [];
    recordStep(state, step, 'success', Object.fromEntries(names.map((n) => [n, `<${step.id}.${n}>`])));
  }
  return ran;
}

describe('plan_project.yaml', () => {
  const loaded = readWorkflowFile(file, 'shipped', ctx);

  it('loads without problems (the plan actions are in the action table)', () => {
    expect(loaded.issues.map(formatIssue)).toEqual([]);
    expect(loaded.workflow!.steps.map((s) => `${s.id}:${String(s.spec)}`)).toEqual([
      'generate:plan.generate',
      'review:plan.review',
      'publish:plan.publish',
      'scaffold:plan.scaffold',
      'document:plan.document',
      'notify:chat.notify',
    ]);
  });

  it('wires each step from the ones before; the scaffold runs only with a folder', () => {
    const ran = walk(loaded.workflow!, {
      plan_id: 'p-1',
      idea: 'x',
      requirements: [],
      stack: [],
      plan: null,
      dry_run: false,
      scaffold_dir: '',
    });
    expect(Object.keys(ran)).toEqual(['generate', 'review', 'publish', 'document', 'notify']);
    expect(ran.publish).toEqual({ plan_id: '<generate.plan_id>', plan: '<review.plan>' });
    expect(ran.notify!.text).toBe(
      'Project plan "<publish.name>" published: <publish.epics> epics and <publish.tasks> tasks',
    );
    const scaffolded = walk(loaded.workflow!, {
      plan_id: 'p-1',
      idea: 'x',
      requirements: [],
      stack: [],
      plan: null,
      dry_run: false,
      scaffold_dir: '/tmp/app',
    });
    expect(scaffolded.scaffold).toMatchObject({ dir: '/tmp/app', items: '<publish.items>' });
  });

  it('stops after the draft on a dry run, and needs none of its own inputs for a bare `workflow run`', () => {
    const dry = walk(loaded.workflow!, {
      plan_id: 'p-1',
      idea: 'x',
      requirements: [],
      stack: [],
      plan: null,
      dry_run: true,
      scaffold_dir: '',
    });
    expect(Object.keys(dry)).toEqual(['generate']);
    const bare = walk(loaded.workflow!, { idea: 'a todo app', requirements: ['offline'], stack: ['node'] });
    expect(bare.generate).toEqual({
      plan_id: '',
      idea: 'a todo app',
      requirements: ['offline'],
      stack: ['node'],
      plan: null,
    });
  });
});
