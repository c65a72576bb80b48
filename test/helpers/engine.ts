// Engine test harness: a temp ledger, a fixed clock, sequential ids, recorded events and the fake provider set.
import { afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoApprover } from '../../src/core/approvals.js';
import { configSchema } from '../../src/core/config/schema.js';
import type { RunEvent } from '../../src/core/events.js';
import { SqliteLedger } from '../../src/core/ledger/sqlite-ledger.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Runtime } from '../../src/core/runtime.js';
import { parseWorkflow } from '../../src/core/engine/loader.js';
import type { EngineDeps } from '../../src/core/engine/run-context.js';
import type { WorkflowDef } from '../../src/core/engine/types.js';
import { formatIssue } from '../../src/core/engine/issues.js';
import { FakeWorld } from './fake-providers.js';
import { removeTree } from './remove-tree.js';

export function testRuntime(start = Date.parse('2025-03-01T10:00:00.000Z')): Runtime {
  let t = start;
  let n = 0;
  return {
    clock: { now: () => new Date((t += 5)) },
    env: { PATH: process.env.PATH },
    cwd: tmpdir(),
    newId: (prefix = 'r') => `${prefix}-${String(++n).padStart(4, '0')}`,
  };
}

export interface Harness {
  deps: EngineDeps;
  world: FakeWorld;
  events: RunEvent[];
  ledger: SqliteLedger;
  dir: string;
  controller: AbortController;
}

// Every harness folder goes after the test file (the ledger inside may still be open; that is fine). The hook is
// registered when a test file imports this module, on that file's root suite.
const harnessDirs: string[] = [];
afterAll(() => {
  while (harnessDirs.length) removeTree(harnessDirs.pop()!);
});

export function harness(overrides: Partial<EngineDeps> = {}, world = new FakeWorld()): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'aidev-engine-'));
  harnessDirs.push(dir);
  const ledger = new SqliteLedger(join(dir, 'ledger.db'));
  const events: RunEvent[] = [];
  const controller = new AbortController();
  const deps: EngineDeps = {
    ledger,
    providers: world.providerSet(),
    config: configSchema.parse({}),
    runtime: testRuntime(),
    logger: silentLogger,
    repoRoot: dir,
    emit: (e) => events.push(e),
    approver: autoApprover,
    signal: controller.signal,
    prompts: {
      exists: () => true,
      render: (name, vars) =>
        Promise.resolve({
          system: `system:${name}`,
          user: `user:${name}:${JSON.stringify(vars.task ?? null)}`,
        }),
    },
    ...overrides,
  };
  return { deps, world, events, ledger, dir, controller };
}

export function workflowFrom(yaml: string, file = 'test.yaml'): WorkflowDef {
  const result = parseWorkflow(yaml, file, 'file', {
    repoRoot: '/',
    config: undefined,
    promptExists: (n) => n !== 'missing_prompt',
  });
  if (!result.workflow) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.workflow;
}
