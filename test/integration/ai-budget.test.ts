// A cap is a promise: a model that always asks for more gets $0.05 per run, and recorded spend never passes it,
// whether runs go one after another, concurrently in one process, or in several processes on one ledger.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicAi } from '../../providers/ai/anthropic/anthropic-ai.js';
import { anthropicConfigSchema } from '../../providers/ai/anthropic/config.js';
import { createModelClient } from '../../src/core/ai/model-client.js';
import { createRateLimiter, type RateLimiter } from '../../src/core/ai/rate-limit.js';
import { createRedactor } from '../../src/core/ai/redact.js';
import type { ConfigInput } from '../../src/core/config/schema.js';
import { createRuntime, type Clock } from '../../src/core/runtime.js';
import {
  eventRecorder,
  settableClock,
  tempLedger,
  testConfig,
  testProviderContext,
  type TempLedger,
} from '../helpers/ai-kit.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import { runToyAgent } from '../helpers/toy-agent.js';

const CAP = 0.05;
const env = { ANTHROPIC_API_KEY: 'sk-ant-test-0000000000000000' };
let server: FakeAnthropicServer;
let t: TempLedger;
beforeEach(async () => {
  t = tempLedger();
  // Always another tool call, and always as much output as it is allowed.
  server = await startFakeAnthropicServer({
    responder: (_body, i) => ({
      content: [{ type: 'tool_use', name: 'write_file', input: { path: `f${i}.ts`, content: 'more' } }],
      output_tokens: 1_000_000,
    }),
  });
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

function runAgent(
  runId: string,
  options: { clock?: Clock; limiter?: RateLimiter; config?: ConfigInput } = {},
) {
  const clock = options.clock ?? settableClock();
  t.ledger.createRun({ id: runId, workflow: 'standard_dev', startedAt: clock.now().toISOString() });
  const recorder = eventRecorder();
  const ai = new AnthropicAi(
    testProviderContext(anthropicConfigSchema.parse({ base_url: server.url, model: 'claude-sonnet-5-5' }), {
      path: 'ai.anthropic',
      env,
    }),
  );
  const model = createModelClient({
    provider: ai,
    ledger: t.ledger,
    runId,
    stepId: 'code',
    taskId: runId,
    workflow: 'standard_dev',
    config: testConfig(
      options.config ?? { cost: { max_cost_per_task: CAP, max_tokens_per_task: 10_000_000 } },
    ),
    runtime: createRuntime({ env, cwd: t.dir, clock }),
    emit: recorder.emit,
    redactor: createRedactor({ env }),
    limiter: options.limiter ?? createRateLimiter({ concurrency: 1, requestsPerMinute: 100_000, clock }),
  });
  const done = runToyAgent({
    complete: (req) => model.complete(req),
    system: 'You are a coding agent.',
    task: 'Write files forever.',
    turns: 200,
  }).then(
    () => null,
    (error: unknown) => error,
  );
  return { done, recorder };
}

const runSpend = (runId: string) => t.ledger.listModelCalls(runId).reduce((sum, c) => sum + c.costUsd, 0);
const openReservations = (runId: string) =>
  t.ledger.withBudgetLock((tx) => tx.runSpend(runId).costUsd) - t.ledger.getRun(runId)!.costUsd;

describe('hard budget caps', () => {
  it('never lets a run pass $0.05, run after run, and stops each with BUDGET_EXCEEDED', async () => {
    for (let i = 0; i < 10; i++) {
      const { done, recorder } = runAgent(`r-seq-${i}`);
      expect(await done).toMatchObject({
        code: 'BUDGET_EXCEEDED',
        exitCode: 3,
        hint: expect.stringContaining(`aidev resume r-seq-${i} --max-cost`),
      });
      const spent = runSpend(`r-seq-${i}`);
      expect(spent).toBeLessThanOrEqual(CAP);
      expect(spent).toBeGreaterThan(CAP * 0.5);
      expect(t.ledger.getRun(`r-seq-${i}`)!.costUsd).toBeCloseTo(spent, 10);
      expect(openReservations(`r-seq-${i}`)).toBe(0);
      expect(recorder.ofType('budget.warning')).toHaveLength(1);
    }
    const requested = server.messageRequests().map((r) => (r.json as { max_tokens: number }).max_tokens);
    expect(Math.max(...requested)).toBeLessThan(8192);
  });

  it('holds each run cap and the shared monthly budget with runs in flight at once', async () => {
    const clock = settableClock();
    const limiter = createRateLimiter({ concurrency: 4, requestsPerMinute: 100_000, clock });
    const config = {
      cost: { max_cost_per_task: CAP, monthly_budget: 0.12, max_tokens_per_task: 10_000_000 },
    };
    const runs = Array.from({ length: 6 }, (_, i) => runAgent(`r-par-${i}`, { clock, limiter, config }));
    const errors = await Promise.all(runs.map((r) => r.done));
    expect(errors.every((e) => (e as { code?: string } | null)?.code === 'BUDGET_EXCEEDED')).toBe(true);
    for (let i = 0; i < 6; i++) expect(runSpend(`r-par-${i}`)).toBeLessThanOrEqual(CAP);
    const month = t.ledger
      .spend({ since: '2026-03-01', until: '2026-04-01' })
      .reduce((sum, row) => sum + row.costUsd, 0);
    expect(month).toBeLessThanOrEqual(0.12);
    expect(month).toBeGreaterThan(0.06);
    expect(errors.some((e) => (e as { details?: { cap?: string } }).details?.cap === 'monthly')).toBe(true);
  });

  it('holds the monthly budget across several processes sharing one ledger', async () => {
    const worker = join(import.meta.dirname, '../helpers/budget-worker.ts');
    const run = promisify(execFile);
    const startAt = String(Date.now() + 3000); // a common start line, not a timing assertion
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        run(process.execPath, ['--import', 'tsx', worker, t.path, `r-proc-${i}`, '0.1', '0.08', startAt], {
          cwd: join(import.meta.dirname, '../..'),
        }),
      ),
    );
    const outcomes = results.map(
      (r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { calls: number; code: string },
    );
    expect(outcomes.every((o) => o.code === 'BUDGET_EXCEEDED')).toBe(true);
    expect(outcomes.reduce((sum, o) => sum + o.calls, 0)).toBeGreaterThan(4);
    expect(outcomes.filter((o) => o.calls > 0).length).toBeGreaterThan(1);
    const month = t.ledger
      .spend({ since: '2026-03-01', until: '2026-04-01' })
      .reduce((sum, row) => sum + row.costUsd, 0);
    expect(month).toBeLessThanOrEqual(0.1);
    expect(month).toBeGreaterThan(0.05);
    expect(t.ledger.withBudgetLock((tx) => tx.monthSpend('2026-03'))).toBeCloseTo(month, 10);
  }, 60_000);

  it('books calls to the month of the injected clock: a cap hit in January lifts in February', async () => {
    const clock = settableClock('2026-01-31T23:58:00.000Z');
    const config = { cost: { max_cost_per_task: 1, monthly_budget: CAP, max_tokens_per_task: 10_000_000 } };
    const january = runAgent('r-jan', { clock, config });
    expect(await january.done).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: { cap: 'monthly', month: '2026-01' },
    });
    clock.set('2026-02-01T00:00:01.000Z');
    const february = runAgent('r-feb', { clock, config });
    expect(await february.done).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: { cap: 'monthly', month: '2026-02' },
    });
    const byMonth = (since: string, until: string) =>
      t.ledger.spend({ since, until }).reduce((s, r) => s + r.costUsd, 0);
    expect(byMonth('2026-01-01', '2026-02-01')).toBeLessThanOrEqual(CAP);
    expect(byMonth('2026-02-01', '2026-03-01')).toBeLessThanOrEqual(CAP);
    expect(byMonth('2026-02-01', '2026-03-01')).toBeGreaterThan(0);
    expect(t.ledger.listModelCalls('r-feb').every((c) => c.at.startsWith('2026-02'))).toBe(true);
  });
});
