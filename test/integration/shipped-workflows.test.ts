// The shipped workflows load cleanly, and every ai: step hands its prompt template every variable it uses (templates
// render strictly, so a missing one would only show up in a real run otherwise).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPromptSource } from '../../src/core/ai/prompts.js';
import { configSchema } from '../../src/core/config/schema.js';
import { formatIssue } from '../../src/core/engine/issues.js';
import { readWorkflowFile } from '../../src/core/engine/loader.js';
import { listWorkflows } from '../../src/core/engine/lookup.js';
import { resolveWith } from '../../src/core/engine/resolve-inputs.js';
import { recordStep, scopeOf, type ScopeState } from '../../src/core/engine/scope.js';
import { stepKind } from '../../src/core/engine/step-kinds.js';
import { evaluateExpression, truthy } from '../../src/core/expressions/index.js';

const repo = mkdtempSync(join(tmpdir(), 'aidev-shipped-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
const prompts = createPromptSource(repo);
const ctx = { repoRoot: repo, config: undefined, promptExists: (n: string) => prompts.exists(n) };
const shipped = listWorkflows({ repoRoot: repo }).filter((w) => w.source === 'shipped');

describe('shipped workflows', () => {
  it('are the four the CLI names', () => {
    expect(shipped.map((w) => w.name)).toEqual([
      'documentation_only',
      'hotfix',
      'plan_project',
      'standard_dev',
    ]);
  });

  it.each(shipped.map((w) => [w.name, w.file]))('%s loads without problems', (_name, file) => {
    const result = readWorkflowFile(file, 'shipped', ctx);
    expect(result.issues.map(formatIssue)).toEqual([]);
  });

  it.each(shipped.map((w) => [w.name, w.file]))(
    '%s: each ai: step renders its prompt',
    async (_name, file) => {
      const workflow = readWorkflowFile(file, 'shipped', ctx).workflow!;
      const state: ScopeState = {
        workflow,
        inputs: {
          task_id: 'T-1',
          docs_path: 'docs',
          idea: 'a todo app',
          requirements: ['offline'],
          stack: ['node'],
        },
        run: {
          id: 'r-1',
          workflow: workflow.name,
          task_id: 'T-1',
          started_at: '2025-01-01T00:00:00Z',
          repo: 'app',
        },
        config: configSchema.parse({ verify: { checks: ['npm test'] } }),
        steps: {},
        aliases: {},
        task: {
          id: 'T-1',
          type: 'task',
          title: 'Add a greeting',
          description: 'Say hi',
          status: 'todo',
          assignee: null,
          labels: ['x'],
          url: null,
          dependsOn: [],
        },
        feedback: null,
      };
      for (const step of workflow.steps) {
        if (step.if !== undefined && !truthy(evaluateExpression(step.if, { scope: scopeOf(state) }))) {
          recordStep(state, step, 'skipped', undefined);
          continue;
        }
        const inputs = resolveWith(step.with, scopeOf(state), state, step.id, false) as Record<
          string,
          unknown
        >;
        if (step.kind === 'ai') {
          const spec = step.spec as { prompt: string };
          const rendered = await prompts.render(spec.prompt, { ...scopeOf(state), ...inputs });
          expect(rendered.user.length).toBeGreaterThan(0);
        }
        const names = stepKind(step.kind)!.outputs?.(step.spec, step) ?? [];
        const outputs = Object.fromEntries(
          names.map((n) => [
            n,
            n === 'empty'
              ? false
              : n === 'checks_passed'
                ? true
                : n === 'data'
                  ? { epics: [] }
                  : `<${step.id}.${n}>`,
          ]),
        );
        recordStep(state, step, 'success', outputs);
      }
    },
  );
});
